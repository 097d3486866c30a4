package r1j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The wire format byte for byte: SSE framing, error bodies and statuses, the small endpoints. */
class RawHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServers servers;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        servers = TestServers.start();
    }

    @AfterAll
    static void stop() {
        servers.close();
    }

    static HttpResponse<String> send(String method, String path, String body, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(servers.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path, String body) throws Exception {
        return send("POST", path, body, TestServers.KEY);
    }

    private static final String STREAM_CHAT = """
            {"model":"m","messages":[{"role":"user","content":"Hi"}],"stream":true,"temperature":0,
             "max_tokens":12,"thinking_budget":3,"ignore_eos":true,"stream_options":{"include_usage":true}}""";

    @Test
    void chatStream_isFramedAsDataEventsEndingWithDone() throws Exception {
        HttpResponse<String> r = post("/v1/chat/completions", STREAM_CHAT);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        String body = r.body();
        assertThat(body).endsWith("\n\ndata: [DONE]\n\n");
        List<String> events = Arrays.asList(body.split("\n\n", -1));
        assertThat(events.getLast()).isEmpty(); // the body ends with a blank line
        List<String> data = events.subList(0, events.size() - 1).stream().filter(e -> !e.startsWith(":")).toList();
        assertThat(data).allSatisfy(e -> assertThat(e).startsWith("data: ").doesNotContain("\n"));
        assertThat(data.getLast()).isEqualTo("data: [DONE]");
        JsonNode first = JSON.readTree(data.getFirst().substring(6));
        assertThat(first.path("object").asText()).isEqualTo("chat.completion.chunk");
        JsonNode d0 = first.path("choices").path(0).path("delta");
        assertThat(d0.path("role").asText()).isEqualTo("assistant");
        assertThat(d0.get("content").isNull()).isTrue();
        // Thought chunks: reasoning_content text with content null; then answer chunks with reasoning_content null.
        JsonNode second = JSON.readTree(data.get(1).substring(6)).path("choices").path(0).path("delta");
        assertThat(second.get("content").isNull()).isTrue();
        assertThat(second.get("reasoning_content").asText()).isNotEmpty();
        boolean sawContent = false;
        for (String e : data.subList(1, data.size() - 2)) {
            JsonNode delta = JSON.readTree(e.substring(6)).path("choices").path(0).path("delta");
            if (!delta.get("content").isNull() && !delta.get("content").asText().isEmpty()) {
                sawContent = true;
                assertThat(delta.get("reasoning_content").isNull()).isTrue();
            } else if (sawContent) {
                assertThat(delta.get("reasoning_content").isNull()).as("reasoning after content: " + e).isTrue();
            }
        }
        assertThat(sawContent).isTrue();
        JsonNode usage = JSON.readTree(data.get(data.size() - 2).substring(6));
        assertThat(usage.path("choices")).isEmpty();
        assertThat(usage.path("usage").path("completion_tokens").asInt()).isEqualTo(12);
        assertThat(usage.path("usage").path("completion_tokens_details").path("reasoning_tokens").asInt()).isEqualTo(3);
        JsonNode finish = JSON.readTree(data.get(data.size() - 3).substring(6)).path("choices").path(0);
        assertThat(finish.path("finish_reason").asText()).isEqualTo("length");
    }

    @Test
    void chatStream_withTwoChoices_interleavesThemByIndex_eachStartingWithRoleAndEndingWithFinish() throws Exception {
        HttpResponse<String> r = post("/v1/chat/completions", """
                {"messages":[{"role":"user","content":"Hi"}],"stream":true,"n":2,"seed":7,"temperature":1,
                 "max_tokens":6,"thinking_budget":2,"ignore_eos":true}""");
        assertThat(r.statusCode()).isEqualTo(200);
        String[] events = r.body().split("\n\n");
        StringBuilder[] text = {new StringBuilder(), new StringBuilder()};
        int[] roles = new int[2];
        String[] finish = new String[2];
        for (String e : events) {
            if (!e.startsWith("data: {")) {
                continue;
            }
            JsonNode choice = JSON.readTree(e.substring(6)).path("choices").path(0);
            int i = choice.path("index").asInt();
            assertThat(finish[i]).as("nothing after choice %d finished", i).isNull();
            JsonNode delta = choice.path("delta");
            if (delta.has("role")) {
                roles[i]++;
                assertThat(text[i]).isEmpty();
            }
            text[i].append(delta.path("reasoning_content").asText("")).append(delta.path("content").asText(""));
            if (!choice.path("finish_reason").isNull()) {
                finish[i] = choice.path("finish_reason").asText();
            }
        }
        assertThat(roles).containsExactly(1, 1);
        assertThat(finish).containsExactly("length", "length");
        assertThat(text[0]).isNotEmpty();
        assertThat(text[1]).isNotEmpty();
        assertThat(events[events.length - 1]).isEqualTo("data: [DONE]");
    }

    @Test
    void completionStream_isFramedTheSameWay() throws Exception {
        HttpResponse<String> r = post("/v1/completions",
                "{\"model\":\"m\",\"prompt\":\"abc\",\"stream\":true,\"max_tokens\":5,\"temperature\":0,\"ignore_eos\":true}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).startsWith("data: {").endsWith("}\n\ndata: [DONE]\n\n");
        JsonNode chunk = JSON.readTree(r.body().split("\n\n")[0].substring(6));
        assertThat(chunk.path("object").asText()).isEqualTo("text_completion");
    }

    @ParameterizedTest(name = "{0} {1} -> {3} {4}")
    @CsvSource(delimiter = '|', textBlock = """
            POST | /v1/chat/completions | {not json                                                   | 400 | invalid_json
            POST | /v1/chat/completions | []                                                          | 400 | invalid_json
            POST | /v1/chat/completions | {"model":"m"}                                               | 400 | missing_required_parameter
            POST | /v1/chat/completions | {"messages":[{"role":"wizard","content":"x"}]}              | 400 |
            POST | /v1/chat/completions | {"messages":[{"role":"user","content":"x"}],"temperature":"hot"} | 400 | invalid_type
            POST | /v1/chat/completions | {"messages":[{"role":"user","content":"x"}],"max_tokens":0}  | 400 |
            POST | /v1/chat/completions | {"messages":[{"role":"user","content":"x"}],"top_logprobs":3} | 400 |
            POST | /v1/chat/completions | {"messages":[{"role":"user","content":"x"}],"tools":[]}      | 400 |
            POST | /v1/chat/completions | {"messages":[{"role":"user","content":"x"}],"tool_choice":"required"} | 400 |
            POST | /v1/chat/completions | {"messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_schema","json_schema":{"name":"n","schema":{"type":"strin"}}}} | 400 |
            POST | /v1/chat/completions | {"messages":[{"role":"user","content":"x"}],"bogus":1}      | 400 | unknown_parameter
            POST | /v1/completions      | {"prompt":"x","response_format":{"type":"json_object"}}    | 400 |
            POST | /v1/completions      | {"messages":[]}                                             | 400 | unknown_parameter
            POST | /v1/nothing          | {}                                                          | 404 | not_found
            GET  | /v1/chat/completions |                                                             | 405 | method_not_allowed
            """)
    void badRequests_getOpenAiErrorShapeAndStatus(String method, String path, String body, int status, String code)
            throws Exception {
        HttpResponse<String> r = send(method, path, body, TestServers.KEY);
        assertThat(r.statusCode()).isEqualTo(status);
        JsonNode err = JSON.readTree(r.body()).path("error");
        assertThat(err.path("message").asText()).isNotBlank();
        assertThat(err.has("type") && err.has("param") && err.has("code")).isTrue();
        if (code != null) {
            assertThat(err.path("code").asText()).isEqualTo(code);
        }
    }

    @Test
    void missingKey_is401_butHealthAndPageArePublic() throws Exception {
        assertThat(send("GET", "/v1/models", null, null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/metrics", null, "wrong").statusCode()).isEqualTo(401);
        HttpResponse<String> health = send("GET", "/health", null, null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(health.body()).path("status").asText()).isEqualTo("ok");
        HttpResponse<String> page = send("GET", "/", null, null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.body()).contains("<script src=\"app.js\"");
    }

    @Test
    void metrics_arePrometheusTextWithTokenAndQueueSeries() throws Exception {
        post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":3}");
        HttpResponse<String> r = send("GET", "/metrics", null, TestServers.KEY);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain; version=0.0.4");
        String text = r.body();
        assertThat(text).contains("# TYPE r1j_completion_tokens_total counter", "r1j_prompt_tokens_total ",
                "r1j_queue_depth ", "r1j_kv_cache_usage_ratio ", "r1j_time_to_first_token_seconds_bucket{le=\"+Inf\"} ",
                "r1j_decode_tokens_per_second ", "r1j_time_to_first_token_seconds_bucket{le=\"0.05\"} ", "r1j_http_requests_total{route=\"/v1/chat/completions\",status=\"200\"} ");
        // The JVM's own meters come with the engine's.
        assertThat(text).contains("jvm_memory_used_bytes{", "jvm_threads_live_threads ", "process_uptime_seconds ");
        for (String line : text.split("\n")) {
            // Prometheus text format 0.0.4: a sample is name{labels} value, the value a Go float (1.5E9, NaN, +Inf).
            assertThat(line).matches("(# (HELP|TYPE) .*)|([a-z0-9_]+(\\{[^}]*\\})? (-?[0-9.]+([eE][+-]?[0-9]+)?|NaN|[+-]Inf))");
        }
    }

    /** The value of one sample line in a scrape, or 0 when the series is not there yet. */
    private static double sample(String scrape, String series) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }

    @Test
    void requestCounter_hasMovedBeforeTheClientHasItsAnswer() throws Exception {
        String series = "r1j_http_requests_total{route=\"/v1/models\",status=\"200\"}";
        double before = sample(send("GET", "/metrics", null, TestServers.KEY).body(), series);
        for (int i = 1; i <= 20; i++) {
            assertThat(send("GET", "/v1/models", null, TestServers.KEY).statusCode()).isEqualTo(200);
            // Read at once: the count must include the answer just received, never lag behind it.
            assertThat(sample(send("GET", "/metrics", null, TestServers.KEY).body(), series)).isEqualTo(before + i);
        }
    }

    @Test
    void oversizedBody_is413_andServerKeepsServing() throws Exception {
        String big = "{\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(100_000) + "\"}]}";
        HttpResponse<String> r = post("/v1/chat/completions", big);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(r.body()).path("error").path("code").asText()).isEqualTo("request_too_large");
        assertThat(send("GET", "/health", null, null).statusCode()).isEqualTo(200);
    }
}
