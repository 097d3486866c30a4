package r1j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Graceful shutdown: running streams end within the grace period with a final chunk and [DONE]; nothing new gets in. */
class ShutdownTest {

    @Test
    void shutdown_cancelsStreamsPastTheGrace_endsThemCleanly_andStopsListening() throws Exception {
        TestServers servers = TestServers.start(TestServers.options().withContextSize(4096),
                TestServers.config().withShutdownGrace(Duration.ofMillis(500)));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest stream = HttpRequest.newBuilder(URI.create(servers.baseUrl() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + TestServers.KEY)
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"messages":[{"role":"user","content":"Go on forever."}],"stream":true,"max_tokens":4000,
                         "ignore_eos":true}""")).build();
        long tokensBefore = servers.engine().stats().completionTokens();
        // The gate holds the engine between steps: the stream (4000 tokens, a moment's work for the tiny model) is
        // still running when the grace ends, however loaded the machine, so it must end cancelled.
        StepGate gate = StepGate.shut(servers.engine(), 3000);
        CompletableFuture<HttpResponse<String>> running = http.sendAsync(stream, HttpResponse.BodyHandlers.ofString());
        StepGate.awaitTrue(() -> servers.engine().stats().queueDepth() == 1, "the stream queued");
        while (servers.engine().stats().completionTokens() - tokensBefore - gate.tokens() < 4) {
            gate.step(); // admit it, prefill, a few tokens
        }
        CompletableFuture<Void> shutdown = CompletableFuture.runAsync(() -> {
            try {
                servers.server().shutdown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
        // One step at a time, at most one per 10 ms: through the grace (500 ms) the stream gets a few dozen more
        // tokens, then the engine cancels it (and the gate's own request).
        while (!shutdown.isDone()) {
            gate.step();
            try {
                shutdown.get(10, TimeUnit.MILLISECONDS);
            } catch (TimeoutException notYet) {
                // keep stepping
            }
        }
        shutdown.get(); // rethrows a failure of shutdown()
        gate.close();
        HttpResponse<String> r = running.get();
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"finish_reason\":\"cancelled\"").endsWith("data: [DONE]\n\n");
        HttpRequest health = HttpRequest.newBuilder(URI.create(servers.baseUrl() + "/health")).build();
        assertThatThrownBy(() -> http.send(health, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOfAny(ConnectException.class, IOException.class);
        servers.close(); // shutdown() closed the engine already; closing again is harmless
    }
}
