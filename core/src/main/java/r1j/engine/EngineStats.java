package r1j.engine;

/**
 * A snapshot of an engine's counters (monotonic totals since start) and gauges (current values), for the CLI's
 * status line and the server's metrics. Values are read without a global lock, so a snapshot may mix counts from
 * adjacent steps.
 *
 * @param requestsSubmitted         requests accepted by {@link Engine#submit}
 * @param requestsRejected          requests refused because the queue was full
 * @param requestsFinished          requests whose every choice ended
 * @param choicesFinished           choices that ended, any reason
 * @param promptTokens              prompt tokens of accepted requests (once per request)
 * @param cachedPromptTokens        prompt tokens served from the prefix cache instead of computed
 * @param completionTokens          tokens appended to choices (sampled and forced)
 * @param prefixCacheHits           requests that reused a cached prefix
 * @param forwardSteps              forward passes run
 * @param queueDepth                requests waiting for a slot now
 * @param liveSequences             choices generating or prefilling now
 * @param slotsInUse                KV slots held by live sequences
 * @param slotsCached               KV slots holding a finished sequence for prefix reuse
 * @param slotsTotal                KV slots in all
 * @param meanTimeToFirstTokenMillis mean over finished choices, from submission to the first generated token
 * @param decodeTokensPerSecond     generated tokens per second of forward time, over the last few seconds of work
 */
public record EngineStats(long requestsSubmitted, long requestsRejected, long requestsFinished, long choicesFinished,
                          long promptTokens, long cachedPromptTokens, long completionTokens, long prefixCacheHits,
                          long forwardSteps, int queueDepth, int liveSequences, int slotsInUse, int slotsCached,
                          int slotsTotal, double meanTimeToFirstTokenMillis, double decodeTokensPerSecond) {
}
