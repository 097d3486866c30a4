package r1j.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import r1j.model.GoldenModels;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Kubernetes does to a pod: SIGTERM with a stream in flight. The serving process stops being ready, refuses new
 * requests with 503, lets the running stream finish normally, and exits within its grace.
 */
@Timeout(180)
class ServeSigtermTest {

    @TempDir
    Path home;

    @Test
    void sigterm_drainsInFlightStreams_refusesNewRequestsWith503_andExitsWithinTheGrace() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "serve", "-m", GoldenModels.model("qwen2-tiny", "Q8_0").toString(), "--port", "0", "--parallel", "2",
                "--ctx-size", "4096", "--shutdown-grace", "60");
        pb.environment().put("R1J_HOME", home.toString());
        pb.redirectError(home.resolve("stderr.txt").toFile());
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String base = null;
        for (String line; base == null && (line = out.readLine()) != null; ) {
            Matcher m = Pattern.compile("on (http://\\S+)").matcher(line);
            if (m.find()) base = m.group(1);
        }
        assertThat(base).as("serve printed its address; stderr: %s", Files.readString(home.resolve("stderr.txt"))).isNotNull();
        HttpClient http = HttpClient.newHttpClient();
        assertThat(get(http, base + "/ready").statusCode()).isEqualTo(200);

        // A stream long enough to still be running when SIGTERM arrives: 3000 tokens, end-of-text ignored.
        HttpRequest stream = HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"messages":[{"role":"user","content":"Go on."}],"stream":true,"max_tokens":3000,
                         "ignore_eos":true,"temperature":0}""")).build();
        CompletableFuture<HttpResponse<String>> running = http.sendAsync(stream, HttpResponse.BodyHandlers.ofString());
        while (!metric(http, base, "r1j_live_sequences").equals("1.0")) {
            assertThat(running).as("the stream is still running").isNotDone();
            Thread.onSpinWait();
        }

        long t0 = System.nanoTime();
        p.destroy(); // SIGTERM
        while (get(http, base + "/ready").statusCode() != 503) Thread.onSpinWait();
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(503);

        HttpResponse<String> done = running.get(120, TimeUnit.SECONDS);
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).contains("\"finish_reason\":\"length\"").endsWith("data: [DONE]\n\n");
        assertThat(p.waitFor(70, TimeUnit.SECONDS)).as("exits within the 60 s grace").isTrue();
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(70);
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String metric(HttpClient http, String base, String name) throws Exception {
        return get(http, base + "/metrics").body().lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .map(l -> l.substring(l.lastIndexOf(' ') + 1)).findFirst().orElse("");
    }
}
