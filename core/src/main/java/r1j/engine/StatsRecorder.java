package r1j.engine;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's counters. Written by the scheduler thread (and {@code submit} for the request counters), read by
 * anyone through {@link #snapshot}. Decode speed is an exponentially weighted rate so it follows the recent load.
 */
final class StatsRecorder {

    /** Weight of the newest step in the decode-rate average (about the last 50 steps). */
    private static final double RATE_ALPHA = 0.02;

    private final AtomicLong requestsSubmitted = new AtomicLong();
    private final AtomicLong requestsRejected = new AtomicLong();
    private final AtomicLong requestsFinished = new AtomicLong();
    private final AtomicLong choicesFinished = new AtomicLong();
    private final AtomicLong promptTokens = new AtomicLong();
    private final AtomicLong cachedPromptTokens = new AtomicLong();
    private final AtomicLong completionTokens = new AtomicLong();
    private final AtomicLong prefixCacheHits = new AtomicLong();
    private final AtomicLong forwardSteps = new AtomicLong();
    private final AtomicLong ttftNanosSum = new AtomicLong();
    private final List<EngineStatsListener> listeners = new CopyOnWriteArrayList<>();
    private volatile double decodeRate;

    void addListener(EngineStatsListener listener) {
        listeners.add(listener);
    }

    void submitted(int prompt) {
        requestsSubmitted.incrementAndGet();
        promptTokens.addAndGet(prompt);
    }

    void rejected() {
        requestsRejected.incrementAndGet();
    }

    void prefixReused(int tokens) {
        prefixCacheHits.incrementAndGet();
        cachedPromptTokens.addAndGet(tokens);
    }

    /** One forward step after which {@code generated} tokens were sampled, in {@code nanos}. */
    void step(int generated, long nanos) {
        forwardSteps.incrementAndGet();
        if (generated > 0 && nanos > 0) {
            double rate = generated * 1e9 / nanos;
            double old = decodeRate;
            decodeRate = old == 0 ? rate : old + RATE_ALPHA * (rate - old);
        }
    }

    /** A token appended to a choice (sampled or forced); counted before the listener hears of it. */
    void tokenAppended() {
        completionTokens.incrementAndGet();
    }

    void choiceFinished(FinishReason reason, Usage usage) {
        choicesFinished.incrementAndGet();
        ttftNanosSum.addAndGet(usage.timeToFirstToken().toNanos());
        for (EngineStatsListener l : listeners) {
            l.onChoiceFinished(reason, usage);
        }
    }

    void requestFinished() {
        requestsFinished.incrementAndGet();
    }

    /** The counters and gauges now; {@code queueDepth} comes from the scheduler, live sequences are active slots. */
    EngineStats snapshot(SlotTable slots, int queueDepth) {
        long choices = choicesFinished.get();
        return new EngineStats(requestsSubmitted.get(), requestsRejected.get(), requestsFinished.get(), choices,
                promptTokens.get(), cachedPromptTokens.get(), completionTokens.get(), prefixCacheHits.get(),
                forwardSteps.get(), queueDepth, slots.activeSlots(), slots.activeSlots(), slots.cachedSlots(), slots.slots(),
                choices == 0 ? 0 : ttftNanosSum.get() / 1e6 / choices, decodeRate);
    }
}
