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
        CompletableFuture<HttpResponse<String>> running = http.sendAsync(stream, HttpResponse.BodyHandlers.ofString());
        long end = System.nanoTime() + 30_000_000_000L;
        while (servers.engine().stats().liveSequences() == 0) {
            assertThat(System.nanoTime()).as("the stream started").isLessThan(end);
            Thread.sleep(20);
        }
        long t0 = System.nanoTime();
        servers.server().shutdown();
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(seconds).as("shutdown respects its grace").isLessThan(10);
        HttpResponse<String> r = running.get();
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"finish_reason\":\"cancelled\"").endsWith("data: [DONE]\n\n");
        HttpRequest health = HttpRequest.newBuilder(URI.create(servers.baseUrl() + "/health")).build();
        assertThatThrownBy(() -> http.send(health, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOfAny(ConnectException.class, IOException.class);
        servers.close(); // shutdown() closed the engine already; closing again is harmless
    }
}
