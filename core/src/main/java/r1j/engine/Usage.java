package r1j.engine;

import java.time.Duration;

/**
 * Token counts and timings of one choice (or, summed, of a whole request; see {@link Completion#usage()}).
 *
 * @param promptTokens     tokens of the prompt, BOS included
 * @param cachedTokens     prompt tokens whose keys and values came from the prefix cache instead of being computed
 * @param completionTokens tokens appended after the prompt: sampled ones and those the thinking budget forced
 * @param reasoningTokens  sampled tokens that were part of the thought (a subset of {@code completionTokens})
 * @param timeToFirstToken from submission to the first generated token (queueing and prefill included)
 * @param elapsed          from submission to the end of this choice
 */
public record Usage(int promptTokens, int cachedTokens, int completionTokens, int reasoningTokens,
                    Duration timeToFirstToken, Duration elapsed) {

    public Usage {
        if (promptTokens < 0 || cachedTokens < 0 || completionTokens < 0 || reasoningTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative");
        }
        if (cachedTokens > promptTokens || reasoningTokens > completionTokens) {
            throw new IllegalArgumentException("cached %d > prompt %d or reasoning %d > completion %d"
                    .formatted(cachedTokens, promptTokens, reasoningTokens, completionTokens));
        }
    }

    /** Prompt plus completion tokens. */
    public int totalTokens() {
        return promptTokens + completionTokens;
    }

    /**
     * Generated tokens per second after the first one, or 0 when fewer than two tokens came (a decode speed a user
     * can compare with other engines; excludes queueing and prefill).
     */
    public double decodeTokensPerSecond() {
        long nanos = elapsed.minus(timeToFirstToken).toNanos();
        return completionTokens < 2 || nanos <= 0 ? 0 : (completionTokens - 1) * 1e9 / nanos;
    }
}
