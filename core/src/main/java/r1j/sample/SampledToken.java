package r1j.sample;

import java.util.List;

/**
 * A sampled token with the log-probabilities the OpenAI API's {@code logprobs} reports.
 *
 * @param token   the chosen token id
 * @param logprob its log-probability under the model's distribution (raw logits: before penalties, filters and
 *                temperature, as llama.cpp's server reports by default)
 * @param top     the most likely tokens under that distribution, most likely first (lowest id on ties); as many as
 *                asked for, possibly none
 */
public record SampledToken(int token, float logprob, List<TokenLogprob> top) {

    public SampledToken {
        top = List.copyOf(top);
    }
}
