package r1j.engine;

/** Why one choice of a generation ended. */
public enum FinishReason {
    /** The model produced an end-of-generation token, or the answer reached a stop string. */
    STOP,
    /** {@code maxTokens} were generated, or the sequence filled its context slot. */
    LENGTH,
    /** The caller cancelled the request (or its listener failed, for example because the client went away). */
    CANCELLED,
    /** The engine failed while generating; the listener's {@code onError} got the cause first. */
    ERROR;

    /** The OpenAI API's spelling: {@code stop}, {@code length}, {@code cancelled}, {@code error}. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
