package r1j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The endpoint client against a scripted HTTP server on port 0: retries, reasoning, errors. */
class OpenAiEndpointTest {
    private static final String OK = """
            {"choices":[{"index":0,"message":{"role":"assistant","content":"It is \\\\boxed{4}.","reasoning_content":"2+2"},
             "finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":7,"total_tokens":12}}""";

    private HttpServer server;
    private final Deque<Object[]> script = new ArrayDeque<>();
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicReference<String> lastBody = new AtomicReference<>();
    private final AtomicReference<String> lastAuth = new AtomicReference<>();

    private String start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", ex -> {
            calls.incrementAndGet();
            lastBody.set(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            lastAuth.set(ex.getRequestHeaders().getFirst("Authorization"));
            Object[] next = script.isEmpty() ? new Object[] {200, OK} : script.poll();
            byte[] body = ((String) next[1]).getBytes(StandardCharsets.UTF_8);
            if ((int) next[0] == 429) {
                ex.getResponseHeaders().add("Retry-After", "0");
            }
            ex.sendResponseHeaders((int) next[0], body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private OpenAiEndpoint client(String base, int attempts) {
        return new OpenAiEndpoint(base, "k3y", "r1", Duration.ofSeconds(30), attempts, Duration.ofMillis(1));
    }

    @Test
    void generate_sendsTheR1Request_andReadsReasoningContent() throws Exception {
        try (OpenAiEndpoint c = client(start(), 1)) {
            Backend.Generation g = c.generate(new Backend.Request("What is 2+2?", 0.6f, 0.95f, 100, 42));
            assertThat(g.reasoning()).isEqualTo("2+2");
            assertThat(g.answer()).isEqualTo("It is \\boxed{4}.");
            assertThat(g.tokens()).isEqualTo(7);
            assertThat(g.finishReason()).isEqualTo("stop");
        }
        assertThat(lastAuth.get()).isEqualTo("Bearer k3y");
        assertThat(lastBody.get()).contains("\"model\":\"r1\"", "\"role\":\"user\"", "\"content\":\"What is 2+2?\"",
                "\"temperature\":0.6", "\"top_p\":0.95", "\"max_tokens\":100", "\"seed\":42").doesNotContain("system");
    }

    @Test
    void generate_retries429And5xx_thenSucceeds() throws Exception {
        script.add(new Object[] {429, "{\"error\":{\"message\":\"busy\"}}"});
        script.add(new Object[] {503, "overloaded"});
        try (OpenAiEndpoint c = client(start(), 3)) {
            assertThat(c.generate(new Backend.Request("q", 0.6f, 0.95f, 10, 1)).answer()).contains("boxed{4}");
        }
        assertThat(calls.get()).isEqualTo(3);
    }

    @Test
    void generate_givesUpAfterItsAttempts_andDoesNotRetryABadRequest() throws Exception {
        for (int i = 0; i < 2; i++) {
            script.add(new Object[] {500, "boom"});
        }
        String base = start();
        try (OpenAiEndpoint c = client(base, 2)) {
            assertThatThrownBy(() -> c.generate(new Backend.Request("q", 0.6f, 0.95f, 10, 1)))
                    .hasMessageContaining("gave up after 2 attempts").hasMessageContaining("HTTP 500");
        }
        script.add(new Object[] {400, "{\"error\":{\"message\":\"max_tokens too large\"}}"});
        calls.set(0);
        try (OpenAiEndpoint c = client(base, 5)) {
            assertThatThrownBy(() -> c.generate(new Backend.Request("q", 0.6f, 0.95f, 10, 1)))
                    .hasMessageContaining("HTTP 400").hasMessageContaining("max_tokens too large");
        }
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void parse_splitsThinkTags_whenTheServerSendsNoReasoningField() throws Exception {
        Backend.Generation g = OpenAiEndpoint.parse("""
                {"choices":[{"message":{"content":"<think>\\nadd them\\n</think>\\n\\nSo \\\\boxed{4}"},"finish_reason":"length"}]}""");
        assertThat(g.reasoning()).isEqualTo("add them");
        assertThat(g.answer()).isEqualTo("So \\boxed{4}");
        assertThat(g.finishReason()).isEqualTo("length");
        assertThat(OpenAiEndpoint.chatUrl("http://h:1/v1/").toString()).isEqualTo("http://h:1/v1/chat/completions");
        assertThat(OpenAiEndpoint.chatUrl("http://h:1").toString()).isEqualTo("http://h:1/v1/chat/completions");
        assertThatThrownBy(() -> OpenAiEndpoint.chatUrl("h:1")).hasMessageContaining("http://");
    }
}
