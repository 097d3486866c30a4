package r1j.engine;

/**
 * Told about every finished choice, for metrics that need each value (a time-to-first-token histogram, token
 * counters by finish reason). Called on the scheduler thread: return quickly. See {@link Engine#addStatsListener}.
 */
@FunctionalInterface
public interface EngineStatsListener {

    /** One choice of request ended; {@code usage} has its counts and timings. */
    void onChoiceFinished(FinishReason reason, Usage usage);
}
