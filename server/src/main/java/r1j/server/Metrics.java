package r1j.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import r1j.engine.EngineStats;
import r1j.engine.EngineStatsListener;
import r1j.engine.FinishReason;
import r1j.engine.Usage;

/**
 * The server's metrics, bound to Micrometer and exposed in Prometheus's text format by its registry: HTTP requests by
 * route and status, the engine's counters and gauges ({@link EngineStats}), a histogram of time to first token fed by
 * {@link EngineStatsListener}, and the JVM's own meters (memory, GC, threads, classes, CPU, uptime). Names are
 * Prometheus's ({@code r1j_http_requests_total}, {@code r1j_queue_depth}, ...). Thread-safe.
 *
 * <p>The engine's values are read from one {@link EngineStats} snapshot per scrape, so a scrape is consistent and
 * costs one snapshot, not one per series.
 */
final class Metrics implements EngineStatsListener, AutoCloseable {

    /** Bucket bounds of the time-to-first-token histogram, seconds. */
    private static final double[] TTFT_BUCKETS = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Supplier<EngineStats> engineStats;
    private final Timer timeToFirstToken;
    private final Map<FinishReason, Counter> finished = new EnumMap<>(FinishReason.class);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private volatile EngineStats latest;

    /** Meters over the engine whose stats {@code engineStats} reads. */
    Metrics(Supplier<EngineStats> engineStats) {
        this.engineStats = engineStats;
        this.latest = engineStats.get();
        Duration[] buckets = new Duration[TTFT_BUCKETS.length];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = Duration.ofNanos(Math.round(TTFT_BUCKETS[i] * 1e9));
        }
        timeToFirstToken = Timer.builder("r1j.time.to.first.token")
                .description("From submission to the first generated token.")
                .serviceLevelObjectives(buckets).register(registry);
        for (FinishReason r : FinishReason.values()) {
            finished.put(r, Counter.builder("r1j.choices.finished").description("Choices that ended, by finish reason.")
                    .tag("reason", r.wireName()).register(registry));
        }
        counter("r1j.requests.submitted", "Generation requests accepted by the engine.", EngineStats::requestsSubmitted);
        counter("r1j.requests.rejected", "Generation requests refused because the queue was full.", EngineStats::requestsRejected);
        counter("r1j.requests.finished", "Generation requests whose every choice ended.", EngineStats::requestsFinished);
        counter("r1j.prompt.tokens", "Prompt tokens of accepted requests (tokens in).", EngineStats::promptTokens);
        counter("r1j.prompt.cached.tokens", "Prompt tokens served from the prefix cache.", EngineStats::cachedPromptTokens);
        counter("r1j.prefix.cache.hits", "Requests that reused a cached prefix.", EngineStats::prefixCacheHits);
        counter("r1j.completion.tokens", "Tokens generated (tokens out).", EngineStats::completionTokens);
        counter("r1j.forward.steps", "Batched forward passes run.", EngineStats::forwardSteps);
        gauge("r1j.queue.depth", "Requests waiting for a free slot.", EngineStats::queueDepth);
        gauge("r1j.live.sequences", "Sequences prefilling or decoding now.", EngineStats::liveSequences);
        gauge("r1j.kv.slots.in.use", "KV-cache slots held by live sequences.", EngineStats::slotsInUse);
        gauge("r1j.kv.slots.cached", "KV-cache slots keeping a finished prefix for reuse.", EngineStats::slotsCached);
        gauge("r1j.kv.slots.total", "KV-cache slots in all.", EngineStats::slotsTotal);
        gauge("r1j.kv.cache.usage.ratio", "Share of KV-cache slots held by live sequences.",
                s -> s.slotsTotal() == 0 ? 0 : (double) s.slotsInUse() / s.slotsTotal());
        gauge("r1j.decode.tokens.per.second", "Generated tokens per second of forward time, recent average.",
                EngineStats::decodeTokensPerSecond);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /**
     * Counts one answered HTTP request. The API calls it before the response is sent, so a client that reads
     * {@code /metrics} after its answer always sees its request counted.
     */
    void request(String route, int status) {
        Counter.builder("r1j.http.requests").description("HTTP requests answered, by route and status.")
                .tag("route", route).tag("status", Integer.toString(status)).register(registry).increment();
    }

    @Override
    public void onChoiceFinished(FinishReason reason, Usage usage) {
        finished.get(reason).increment();
        if (usage.completionTokens() > 0) { // no first token, nothing to time
            timeToFirstToken.record(usage.timeToFirstToken());
        }
    }

    /** The Prometheus text exposition (format 0.0.4) with the engine's current stats. */
    String scrape() {
        latest = engineStats.get();
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }

    private void counter(String name, String help, ToDoubleFunction<EngineStats> value) {
        FunctionCounter.builder(name, this, m -> value.applyAsDouble(m.latest)).description(help).register(registry);
    }

    private void gauge(String name, String help, ToDoubleFunction<EngineStats> value) {
        Gauge.builder(name, this, m -> value.applyAsDouble(m.latest)).description(help).register(registry);
    }
}
