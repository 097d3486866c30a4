package r1j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code r1j serve} through {@link Main#commandLine()}: starts, answers with the key from a file, stops cleanly. */
class ServeCommandTest {

    @TempDir
    Path dir;

    private static Path golden() throws URISyntaxException {
        var url = ServeCommandTest.class.getResource("/golden/qwen2-tiny/Q8_0.gguf");
        assertThat(url).as("test resource golden/qwen2-tiny/Q8_0.gguf").isNotNull();
        return Path.of(url.toURI());
    }

    @Test
    void serve_listensOnAFreePort_requiresTheKeyFromTheFile_andStops() throws Exception {
        Path keyFile = dir.resolve("key.txt");
        Files.writeString(keyFile, "s3cret\n");
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        ServeCommand serve = (ServeCommand) cl.getSubcommands().get("serve").getCommand();
        AtomicInteger exit = new AtomicInteger(-1);
        String model = golden().toString();
        Thread t = Thread.ofPlatform().start(() -> exit.set(cl.execute("serve", "-m", model,
                "--port", "0", "--api-key-file", keyFile.toString(), "--parallel", "2", "--ctx-size", "128")));
        Matcher m = Pattern.compile("on (http://\\S+)").matcher("");
        long end = System.nanoTime() + 300_000_000_000L;
        while (!m.reset(out.toString()).find()) {
            assertThat(System.nanoTime()).as("server start; stderr: " + err).isLessThan(end);
            assertThat(t.isAlive()).as("serve exited early: " + err).isTrue();
            Thread.sleep(50);
        }
        String base = m.group(1);
        assertThat(out.toString()).contains("r1j serving Q8_0 (2 slots x 128 tokens)", "(API key required)");
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest.Builder models = HttpRequest.newBuilder(URI.create(base + "/v1/models"));
        assertThat(http.send(models.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        HttpResponse<String> ok = http.send(models.header("Authorization", "Bearer s3cret").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("\"id\":\"Q8_0\"");
        serve.stop.countDown();
        t.join(30_000);
        assertThat(t.isAlive()).isFalse();
        assertThat(exit.get()).isZero();
    }

    @Test
    void serve_withBothKeyOptions_isAUsageError() throws Exception {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("serve", "-m", golden().toString(), "--api-key", "a", "--api-key-file", "f");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("not both");
    }

    @Test
    void serve_withTlsCertButNoKey_isAUsageErrorNamingBoth() throws Exception {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("serve", "-m", golden().toString(), "--port", "0", "--tls-cert", "cert.pem");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--tls-cert", "--tls-key");
    }

    @Test
    void serve_withAMissingTlsKeyFile_isAUsageErrorNamingTheFile() throws Exception {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        Path missing = dir.resolve("missing-key.pem");
        int code = cl.execute("serve", "-m", golden().toString(), "--port", "0", "--parallel", "1", "--ctx-size", "64",
                "--tls-cert", dir.resolve("cert.pem").toString(), "--tls-key", missing.toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("cannot read --tls-key", missing.toString());
    }
}
