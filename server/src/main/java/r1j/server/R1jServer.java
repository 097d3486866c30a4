package r1j.server;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
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
 * {@code GET /v1/models/{id}}, {@code GET /health}, {@code GET /metrics}, and the page at {@code /}. The server does
 * not own the engine: closing the server leaves the engine to its owner, except that {@link #shutdown()} drains it.
 */
public final class R1jServer implements AutoCloseable {

    private final Engine engine;
    private final ServerConfig config;
    private final Api api;
    private final HttpTransport transport;
    private volatile boolean stopped;

    private R1jServer(Engine engine, ServerConfig config, Clock clock) throws IOException {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.config = Objects.requireNonNull(config, "config");
        Metrics metrics = new Metrics();
        engine.addStatsListener(metrics);
        this.api = new Api(engine, config, metrics, clock);
        HttpTransport.configureRequestTimeout((int) Math.max(1, config.requestTimeout().toSeconds()));
        this.transport = new HttpTransport(config.host(), config.port(), config.maxBodyBytes(), api::handle);
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

    /** {@code http://host:port}. */
    public String baseUrl() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return "http://" + host + ":" + port();
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
    }

    /** Stops listening at once (open streams are cut); the engine is left to its owner. */
    @Override
    public void close() {
        if (!stopped) {
            stopped = true;
            api.drain();
            transport.stop(0);
        }
    }
}
