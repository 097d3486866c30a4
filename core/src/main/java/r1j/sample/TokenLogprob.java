package r1j.sample;

/**
 * A token with its log-probability under the model's distribution (natural log of the softmax of the raw logits).
 *
 * @param token   token id
 * @param logprob ≤ 0
 */
public record TokenLogprob(int token, float logprob) {
}
