package r1j.engine;

/**
 * A request inside the engine: its prepared prompt, its handle, and its {@code n} sequences once admitted.
 * Touched by the scheduler thread only (after {@link Engine#submit} hands it over).
 */
final class RequestState {

    final GenerationRequest request;
    final GenerationHandle handle;
    final int[] prompt;              // token ids, BOS included
    final boolean startsInReasoning; // the prompt ends inside an open <think>
    final long seed;                 // choice i samples with seed + i
    final long submittedNanos;
    Sequence[] sequences;            // null while waiting for slots
    int cachedTokens;                // prompt tokens served from the prefix cache
    int unfinished;

    RequestState(GenerationRequest request, GenerationHandle handle, int[] prompt, boolean startsInReasoning, long seed,
                 long submittedNanos) {
        this.request = request;
        this.handle = handle;
        this.prompt = prompt;
        this.startsInReasoning = startsInReasoning;
        this.seed = seed;
        this.submittedNanos = submittedNanos;
        this.unfinished = request.n();
    }

    int n() {
        return request.n();
    }
}
