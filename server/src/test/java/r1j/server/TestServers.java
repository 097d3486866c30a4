package r1j.server;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import r1j.engine.Engine;
import r1j.engine.EngineOptions;
import r1j.model.GoldenModels;

/** A live server on port 0 over the golden tiny Qwen2 model (random weights, llama.cpp-checked). */
record TestServers(Engine engine, R1jServer server) implements AutoCloseable {

    static final String MODEL_ID = "qwen2-tiny";
    static final String KEY = "test-key-123";

    /**
     * How long a client may take to send its request. One value per JVM (the JDK server reads it from a system
     * property once), so it must suit every test: short enough for the slow-client test to wait out, long enough
     * that a loaded machine never lets it expire between a test's connect and its write.
     */
    static final int REQUEST_TIMEOUT_SECONDS = 10;

    /** Small slots so tests stay fast on 2 cores. */
    static EngineOptions options() {
        return EngineOptions.defaults().withParallel(4).withContextSize(256).withMaxQueue(8);
    }

    static TestServers start(EngineOptions options, ServerConfig config) {
        try {
            Engine engine = Engine.load(GoldenModels.model("qwen2-tiny", "Q8_0"), options);
            return new TestServers(engine, R1jServer.start(engine, config));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ServerConfig config() {
        return ServerConfig.defaults(MODEL_ID).withPort(0).withApiKey(KEY).withMaxBodyBytes(64 * 1024)
                .withShutdownGrace(Duration.ofSeconds(2)).withRequestTimeout(Duration.ofSeconds(REQUEST_TIMEOUT_SECONDS));
    }

    static TestServers start() {
        return start(options(), config());
    }

    String baseUrl() {
        return server.baseUrl();
    }

    OpenAIClient client() {
        return OpenAIOkHttpClient.builder().baseUrl(baseUrl() + "/v1").apiKey(KEY).maxRetries(0)
                .timeout(Duration.ofSeconds(60)).build();
    }

    @Override
    public void close() {
        server.close();
        engine.close();
    }
}
