package r1j.engine;

import r1j.sample.SampledToken;

/**
 * Receives the events of one request, per choice index {@code 0 .. n-1}. Text arrives in order per choice and is
 * already split into reasoning (the thought) and answer; pieces are never broken UTF-8 and never end inside a
 * possible stop string. Exactly one {@link #onDone} comes per choice, last.
 *
 * <p>Called on the engine's scheduler thread, which drives every live sequence: return quickly and never block (a
 * server hands the events to the request's own queue or virtual thread). An exception thrown here cancels the
 * request (as a client that went away should).
 */
public interface GenerationListener {

    /** A piece of the thought of choice {@code choice}. */
    default void onReasoning(int choice, String text) {
    }

    /** A piece of the answer of choice {@code choice}. */
    default void onAnswer(int choice, String text) {
    }

    /**
     * A token appended to choice {@code choice} (sampled or forced by the thinking budget), in order, before its
     * text is reported.
     *
     * @param logprob its log-probability and alternatives when the request asked for logprobs, else {@code null};
     *                a token the thinking budget forced has log-probability 0 and no alternatives
     */
    default void onToken(int choice, int tokenId, SampledToken logprob) {
    }

    /** Choice {@code choice} failed; {@link #onDone} with {@link FinishReason#ERROR} follows. */
    default void onError(int choice, Throwable error) {
    }

    /** Choice {@code choice} ended; its last event. */
    void onDone(int choice, FinishReason reason, Usage usage);

    /** A listener that ignores every event (for callers that only {@link GenerationHandle#await()}). */
    static GenerationListener none() {
        return (choice, reason, usage) -> { };
    }
}
