package r1j.server;

import java.io.IOException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import r1j.engine.Engine;

/**
 * The r1j HTTP server: the OpenAI/DeepSeek-compatible API and the web chat page over one {@link Engine}.
 *
 * <pre>{@code
 * try (Engine engine = Engine.load(model, EngineOptions.defaults());
 *      R1jServer server = R1jServer.start(engine, ServerConfig.defaults("my-model"))) {
 *     server.awaitShutdownSignal(); // or: server.shutdown()
 * }
 * }</pre>
 *
 * <p>Endpoints: {@code POST /v1/chat/completions}, {@code POST /v1/completions}, {@code GET /v1/models},
 * {@code GET /v1/models/{id}}, {@code GET /health}, {@code GET /metrics} (Prometheus), Ollama's {@code POST /api/chat},
 * {@code POST /api/generate}, {@code GET /api/tags}, {@code POST /api/show}, {@code GET /api/version},
 * {@code GET /api/ps}, and the page at {@code /}. HTTPS when the config names a certificate and key. The server does
 * not own the engine: closing the server leaves the engine to its owner, except that {@link #shutdown()} drains it.
 */
public final class R1jServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(R1jServer.class);

    private final Engine engine;
    private final ServerConfig config;
    private final Metrics metrics;
    private final Api api;
    private final HttpTransport transport;
    private volatile boolean stopped;

    private R1jServer(Engine engine, ServerConfig config, Clock clock) throws IOException {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.config = Objects.requireNonNull(config, "config");
        this.metrics = new Metrics(engine::stats);
        engine.addStatsListener(metrics);
        this.api = new Api(engine, config, metrics, clock);
        KeyStore tls = null;
        char[] password = null;
        if (config.tls()) {
            // The key store lives only in memory; a random password just satisfies the KeyStore API.
            password = Long.toHexString(new SecureRandom().nextLong()).toCharArray();
            tls = PemKeyStore.load(config.tlsCertificate(), config.tlsKey(), password);
        }
        try {
            this.transport = new HttpTransport(config.host(), config.port(), config.maxBodyBytes(),
                    config.requestTimeout(), config.idleTimeout(), tls, password, api::handle);
        } catch (IOException | RuntimeException e) {
            metrics.close();
            throw e;
        }
        LOG.info("r1j server listening on {} for model '{}'", baseUrl(), config.modelId());
    }

    /**
     * Binds and starts serving.
     *
     * @throws IOException when the address cannot be bound (port in use, unknown host)
     */
    public static R1jServer start(Engine engine, ServerConfig config) throws IOException {
        return new R1jServer(engine, config, Clock.systemUTC());
    }

    /** The bound port (the chosen one when the config asked for 0). */
    public int port() {
        return transport.port();
    }

    /** {@code http://host:port}, or {@code https://} with TLS. */
    public String baseUrl() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return (config.tls() ? "https://" : "http://") + host + ":" + port();
    }

    /**
     * Graceful shutdown: new generation requests get 503, running ones may finish within the configured grace,
     * then the engine cancels what is left (streams end with finish reason {@code cancelled} and {@code [DONE]}),
     * and the listener closes. Closes the engine.
     */
    public void shutdown() throws InterruptedException {
        if (stopped) {
            return;
        }
        stopped = true;
        api.drain();
        Duration grace = config.shutdownGrace();
        engine.shutdown(grace);
        // Streams were cancelled by now; give their writers a moment to send the last chunk and [DONE].
        transport.stop(2);
        metrics.close();
        LOG.info("r1j server on {} stopped (graceful shutdown, grace {} ms)", baseUrl(), grace.toMillis());
    }

    /** Stops listening at once (open streams are cut); the engine is left to its owner. */
    @Override
    public void close() {
        if (!stopped) {
            stopped = true;
            api.drain();
            transport.stop(0);
            metrics.close();
            LOG.info("r1j server on {} stopped", baseUrl());
        }
    }
}
