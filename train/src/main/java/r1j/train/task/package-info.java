/**
 * Reasoning tasks with exact verifiers: multi-digit addition, subtraction (negative results included),
 * multiplication and Countdown. Each problem knows its prompt phrasings, its R1-style reasoning trace (step-by-step
 * working, then a self-check) and its answer; {@link r1j.train.task.Verifier} reads the last {@code \boxed{}} of a
 * completion. {@link r1j.train.task.Split} keeps a fixed held-out test set disjoint from training. Depends on the JDK.
 */
package r1j.train.task;
