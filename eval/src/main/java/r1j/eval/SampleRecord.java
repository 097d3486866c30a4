package r1j.eval;

/**
 * One line of {@code samples.jsonl}: everything needed to audit a verdict and recompute every figure.
 *
 * @param id           the problem's id
 * @param sample       0 … k−1
 * @param prompt       the user message sent
 * @param reasoning    the thought
 * @param answer       the text after the thought
 * @param extracted    the answer the grader read, or {@code null}
 * @param gold         the reference answer
 * @param correct      the verdict
 * @param tokens       completion tokens
 * @param seconds      wall time of this sample's request
 * @param finishReason {@code stop}, {@code length}, …
 */
public record SampleRecord(String id, int sample, String prompt, String reasoning, String answer, String extracted,
                           String gold, boolean correct, int tokens, double seconds, String finishReason) {}
