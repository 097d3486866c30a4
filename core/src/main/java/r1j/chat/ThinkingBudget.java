package r1j.chat;

/**
 * Caps how many tokens a model may spend thinking.
 *
 * <p>The generator asks after every generated token, passing whether the model is (still) inside the thought
 * ({@link ReasoningParser#inReasoning()} after feeding that token's text). When the budget is spent it answers
 * {@code true} once; the generator then feeds the tokens of {@link #CLOSE_TEXT} (through the model and through the
 * parser, so both leave the thought) and continues sampling the answer. With budget 0 and a prompt that already opens
 * the thought ({@code <think>\n}), {@link #closeBeforeFirstToken(boolean)} says to close it before sampling anything.
 *
 * <p>Reasoning tokens are counted as the parser classifies them, so a {@code <think>} token the model writes itself
 * counts as the first one. Not thread-safe: one instance per generated sequence.
 */
public final class ThinkingBudget {

    /** Budget value for no limit. */
    public static final int UNLIMITED = -1;

    /** The text to force into the sequence to close the thought: the answer follows after a blank line. */
    public static final String CLOSE_TEXT = "\n</think>\n\n";

    private final int maxReasoningTokens;
    private int reasoningTokens;
    private boolean forced;

    /**
     * @param maxReasoningTokens the most reasoning tokens to generate: {@link #UNLIMITED} (−1) for no limit, 0 to
     *                           answer without thinking
     * @throws IllegalArgumentException when below −1
     */
    public ThinkingBudget(int maxReasoningTokens) {
        if (maxReasoningTokens < UNLIMITED) {
            throw new IllegalArgumentException("thinking budget " + maxReasoningTokens
                    + " is out of range; use -1 for unlimited, 0 for no thinking, or a positive token count");
        }
        this.maxReasoningTokens = maxReasoningTokens;
    }

    /** A budget without limit. */
    public static ThinkingBudget unlimited() {
        return new ThinkingBudget(UNLIMITED);
    }

    /**
     * Whether to close the thought before the first sampled token.
     *
     * @param promptEndsInReasoning whether the prompt opens the thought ({@link ChatTemplate#endsInReasoning})
     * @return {@code true} (once) when the budget is 0 and the prompt opened the thought
     */
    public boolean closeBeforeFirstToken(boolean promptEndsInReasoning) {
        if (promptEndsInReasoning && maxReasoningTokens == 0 && !forced) {
            forced = true;
            return true;
        }
        return false;
    }

    /**
     * Records one generated token and says whether to close the thought now.
     *
     * @param inReasoning whether the model is inside the thought after this token
     * @return {@code true} exactly once, when the token that spent the budget was generated inside the thought
     */
    public boolean shouldCloseAfter(boolean inReasoning) {
        if (!inReasoning || forced) {
            return false;
        }
        reasoningTokens++;
        if (maxReasoningTokens != UNLIMITED && reasoningTokens >= maxReasoningTokens) {
            forced = true;
            return true;
        }
        return false;
    }

    /** Reasoning tokens generated so far (forced closing tokens excluded). */
    public int reasoningTokens() {
        return reasoningTokens;
    }

    /** Whether the budget forced the thought closed. */
    public boolean forcedClose() {
        return forced;
    }

    /** The configured maximum, {@link #UNLIMITED} for none. */
    public int maxReasoningTokens() {
        return maxReasoningTokens;
    }
}
