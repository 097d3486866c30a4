package r1j.train.task;

/**
 * A piece of a reasoning trace and whether the model should learn to write it. Deliberate slips in self-correction
 * traces are shown but not learned: the model learns to catch and redo a mistake, not to make it.
 */
public record Segment(String text, boolean learn) {}
