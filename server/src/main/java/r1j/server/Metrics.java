package r1j.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import r1j.engine.EngineStats;
import r1j.engine.EngineStatsListener;
import r1j.engine.FinishReason;
import r1j.engine.Usage;

/**
 * The server's metrics in the Prometheus text exposition format (version 0.0.4), written by hand: HTTP requests by
 * route and status, the engine's counters and gauges ({@link EngineStats}), and a histogram of time to first token
 * fed by {@link EngineStatsListener}. Thread-safe.
 */
final class Metrics implements EngineStatsListener {

    /** Upper bounds of the time-to-first-token buckets, seconds. */
    private static final double[] TTFT_BUCKETS = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private final Map<String, AtomicLong> http = new ConcurrentHashMap<>();
    private final AtomicLongArray ttftBuckets = new AtomicLongArray(TTFT_BUCKETS.length + 1);
    private final AtomicLong ttftCount = new AtomicLong();
    private final AtomicLong ttftNanos = new AtomicLong();
    private final Map<FinishReason, AtomicLong> finished = new ConcurrentHashMap<>();

    /** Counts one answered HTTP request. */
    void request(String route, int status) {
        http.computeIfAbsent(route + "\u0000" + status, k -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public void onChoiceFinished(FinishReason reason, Usage usage) {
        finished.computeIfAbsent(reason, k -> new AtomicLong()).incrementAndGet();
        if (usage.completionTokens() == 0) {
            return; // no first token, nothing to time
        }
        double s = usage.timeToFirstToken().toNanos() / 1e9;
        int b = 0;
        while (b < TTFT_BUCKETS.length && s > TTFT_BUCKETS[b]) {
            b++;
        }
        ttftBuckets.incrementAndGet(b);
        ttftCount.incrementAndGet();
        ttftNanos.addAndGet(usage.timeToFirstToken().toNanos());
    }

    /** The exposition text with the engine's current {@code stats}. */
    String render(EngineStats s) {
        StringBuilder o = new StringBuilder(4096);
        head(o, "r1j_http_requests_total", "counter", "HTTP requests answered, by route and status.");
        http.forEach((k, v) -> {
            int sep = k.indexOf('\u0000');
            o.append("r1j_http_requests_total{route=\"").append(k, 0, sep).append("\",status=\"")
                    .append(k.substring(sep + 1)).append("\"} ").append(v.get()).append('\n');
        });
        counter(o, "r1j_requests_submitted_total", "Generation requests accepted by the engine.", s.requestsSubmitted());
        counter(o, "r1j_requests_rejected_total", "Generation requests refused because the queue was full.", s.requestsRejected());
        counter(o, "r1j_requests_finished_total", "Generation requests whose every choice ended.", s.requestsFinished());
        head(o, "r1j_choices_finished_total", "counter", "Choices that ended, by finish reason.");
        for (FinishReason r : FinishReason.values()) {
            AtomicLong v = finished.get(r);
            o.append("r1j_choices_finished_total{reason=\"").append(r.wireName()).append("\"} ")
                    .append(v == null ? 0 : v.get()).append('\n');
        }
        counter(o, "r1j_prompt_tokens_total", "Prompt tokens of accepted requests (tokens in).", s.promptTokens());
        counter(o, "r1j_prompt_cached_tokens_total", "Prompt tokens served from the prefix cache.", s.cachedPromptTokens());
        counter(o, "r1j_prefix_cache_hits_total", "Requests that reused a cached prefix.", s.prefixCacheHits());
        counter(o, "r1j_completion_tokens_total", "Tokens generated (tokens out).", s.completionTokens());
        counter(o, "r1j_forward_steps_total", "Batched forward passes run.", s.forwardSteps());
        gauge(o, "r1j_queue_depth", "Requests waiting for a free slot.", s.queueDepth());
        gauge(o, "r1j_live_sequences", "Sequences prefilling or decoding now.", s.liveSequences());
        gauge(o, "r1j_kv_slots_in_use", "KV-cache slots held by live sequences.", s.slotsInUse());
        gauge(o, "r1j_kv_slots_cached", "KV-cache slots keeping a finished prefix for reuse.", s.slotsCached());
        gauge(o, "r1j_kv_slots_total", "KV-cache slots in all.", s.slotsTotal());
        gauge(o, "r1j_kv_cache_usage_ratio", "Share of KV-cache slots held by live sequences.",
                s.slotsTotal() == 0 ? 0 : (double) s.slotsInUse() / s.slotsTotal());
        gauge(o, "r1j_decode_tokens_per_second", "Generated tokens per second of forward time, recent average.",
                s.decodeTokensPerSecond());
        head(o, "r1j_time_to_first_token_seconds", "histogram", "From submission to the first generated token.");
        long cumulative = 0;
        for (int b = 0; b < TTFT_BUCKETS.length; b++) {
            cumulative += ttftBuckets.get(b);
            o.append("r1j_time_to_first_token_seconds_bucket{le=\"").append(num(TTFT_BUCKETS[b])).append("\"} ")
                    .append(cumulative).append('\n');
        }
        cumulative += ttftBuckets.get(TTFT_BUCKETS.length);
        o.append("r1j_time_to_first_token_seconds_bucket{le=\"+Inf\"} ").append(cumulative).append('\n');
        o.append("r1j_time_to_first_token_seconds_sum ").append(num(ttftNanos.get() / 1e9)).append('\n');
        o.append("r1j_time_to_first_token_seconds_count ").append(ttftCount.get()).append('\n');
        return o.toString();
    }

    private static void head(StringBuilder o, String name, String type, String help) {
        o.append("# HELP ").append(name).append(' ').append(help).append('\n');
        o.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void counter(StringBuilder o, String name, String help, long value) {
        head(o, name, "counter", help);
        o.append(name).append(' ').append(value).append('\n');
    }

    private static void gauge(StringBuilder o, String name, String help, double value) {
        head(o, name, "gauge", help);
        o.append(name).append(' ').append(num(value)).append('\n');
    }

    private static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        // Six significant digits without trailing zeros: 0.05, 26.8112.
        return new java.math.BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
    }
}
