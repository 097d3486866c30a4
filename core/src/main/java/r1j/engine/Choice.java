package r1j.engine;

import java.util.List;
import r1j.sample.SampledToken;

/**
 * One finished sample of a request.
 *
 * @param index        the choice index, {@code 0 .. n-1}
 * @param reasoning    the thought, without {@code <think>} tags ("" when the model did not think)
 * @param answer       the answer after the thought, without a matched stop string
 * @param finishReason why it ended
 * @param usage        its token counts and timings (prompt counts are the request's)
 * @param tokens       every token appended after the prompt, sampled and forced, in order (end-of-generation
 *                     token included when it ended so) — what a trainer scores
 * @param logprobs     per token of {@code tokens}, when the request asked for logprobs; else empty
 * @param error        the failure message when {@code finishReason} is {@link FinishReason#ERROR}, else {@code null}
 */
public record Choice(int index, String reasoning, String answer, FinishReason finishReason, Usage usage, int[] tokens,
                     List<SampledToken> logprobs, String error) {

    public Choice {
        logprobs = List.copyOf(logprobs);
    }
}
