package r1j.engine;

/** A prompt does not fit the per-slot context with room for at least one generated token (a server answers 400). */
public final class PromptTooLongException extends InvalidRequestException {

    private final int promptTokens;
    private final int contextSize;

    public PromptTooLongException(int promptTokens, int contextSize) {
        super(("prompt has %d tokens but the context is %d; shorten the prompt (keep at least one token free for the "
                + "answer) or raise the context size (--ctx-size)").formatted(promptTokens, contextSize));
        this.promptTokens = promptTokens;
        this.contextSize = contextSize;
    }

    public int promptTokens() {
        return promptTokens;
    }

    public int contextSize() {
        return contextSize;
    }
}
