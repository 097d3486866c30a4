package r1j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import r1j.engine.Engine;
import r1j.engine.EngineOptions;

/**
 * Load benchmark (not part of the test suite: surefire only picks up {@code *Test} classes): aggregate decode
 * tokens/s of 1 stream vs {@code r1j.bench.streams} concurrent streams through the HTTP API on loopback, on a model of
 * realistic size. Run:
 *
 * <pre>
 * ./r1j synth --shape qwen2-0.5b --vocab-from ggml-vocab-deepseek-llm.gguf -o /tmp/synth.gguf
 * ./mvnw -q -B -o -pl server -am test -Dtest=ServeLoadBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dr1j.bench.model=/tmp/synth.gguf [-Dr1j.bench.streams=8] [-Dr1j.bench.tokens=32]
 * </pre>
 *
 * Each stream is a chat completion with {@code ignore_eos} and a fixed {@code max_tokens}. The decode rate counts the
 * tokens that arrive (client clock) while every stream is decoding — from the last stream's first token to the first
 * stream's last token — so prefill of late arrivals and the tail of early finishers are left out.
 */
class ServeLoadBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** When each streamed piece of text arrived (client clock, nanoseconds). */
    record StreamResult(long[] arrivals) {
        long first() {
            return arrivals[0];
        }

        long last() {
            return arrivals[arrivals.length - 1];
        }
    }

    @Test
    void aggregateDecodeRate_oneStreamVersusMany() throws Exception {
        String model = System.getProperty("r1j.bench.model");
        assertThat(model).as("pass -Dr1j.bench.model=<gguf> (see the class javadoc)").isNotNull();
        assertThat(Files.isRegularFile(Path.of(model))).as(model + " exists").isTrue();
        int streams = Integer.getInteger("r1j.bench.streams", 8);
        int tokens = Integer.getInteger("r1j.bench.tokens", 32);
        EngineOptions options = EngineOptions.defaults().withParallel(streams).withContextSize(256)
                .withPrefixCache(false);
        try (Engine engine = Engine.load(Path.of(model), options);
             R1jServer server = R1jServer.start(engine, ServerConfig.defaults("bench").withPort(0))) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            run(http, server, 1, 4); // warm-up: JIT and page-in of the weights
            double single = rate(run(http, server, 1, tokens));
            double many = rate(run(http, server, streams, tokens));
            String line = String.format(Locale.ROOT,
                    "model=%s streams=%d tokens/stream=%d cores=%d: 1 stream %.2f tok/s, %d streams %.2f tok/s aggregate (%.2fx)",
                    Path.of(model).getFileName(), streams, tokens, Runtime.getRuntime().availableProcessors(),
                    single, streams, many, many / single);
            System.out.println("BENCH " + line);
            Path report = Path.of("target", "serve-load-benchmark.txt");
            Files.createDirectories(report.getParent());
            Files.writeString(report, line + "\n");
        }
    }

    private static double rate(List<StreamResult> results) {
        long from = results.stream().mapToLong(StreamResult::first).max().orElseThrow();
        long to = results.stream().mapToLong(StreamResult::last).min().orElseThrow();
        assertThat(to).as("streams overlapped while decoding").isGreaterThan(from);
        long decoded = 0;
        for (StreamResult r : results) {
            for (long t : r.arrivals()) {
                if (t > from && t <= to) {
                    decoded++;
                }
            }
        }
        return decoded / ((to - from) / 1e9);
    }

    private static List<StreamResult> run(HttpClient http, R1jServer server, int streams, int tokens) throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<StreamResult>> futures = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                int k = i;
                futures.add(pool.submit(() -> stream(http, server, "Question " + k + ": what is " + k + "+7?", tokens)));
            }
            List<StreamResult> out = new ArrayList<>();
            for (Future<StreamResult> f : futures) {
                out.add(f.get());
            }
            return out;
        }
    }

    private static StreamResult stream(HttpClient http, R1jServer server, String prompt, int tokens) throws Exception {
        String body = JSON.createObjectNode()
                .put("stream", true).put("max_tokens", tokens).put("ignore_eos", true).put("temperature", 0)
                .set("messages", JSON.createArrayNode().add(JSON.createObjectNode().put("role", "user").put("content", prompt)))
                .toString();
        HttpRequest req = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<java.io.InputStream> res = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(res.statusCode()).isEqualTo(200);
        List<Long> arrivals = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.startsWith("data: {")) {
                    continue;
                }
                JsonNode delta = JSON.readTree(line.substring(6)).path("choices").path(0).path("delta");
                boolean text = delta.path("reasoning_content").isTextual() && !delta.path("reasoning_content").asText().isEmpty()
                        || delta.path("content").isTextual() && !delta.path("content").asText().isEmpty();
                if (text) {
                    arrivals.add(System.nanoTime());
                }
            }
        }
        assertThat(arrivals).as("streamed pieces").hasSizeGreaterThan(tokens / 2);
        return new StreamResult(arrivals.stream().mapToLong(Long::longValue).toArray());
    }
}
