package r1j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import r1j.cli.store.BuiltInModel;

/**
 * {@code r1j eval} over a pool of two {@code r1j serve} processes on loopback, one of which is killed (SIGKILL)
 * mid-run: the run still completes, and every sample is in the JSONL exactly once.
 */
@Timeout(600)
class EvalEndpointPoolTest {

    @TempDir
    Path dir;

    private final List<Process> servers = new ArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(Process::destroyForcibly);
    }

    @Test
    void eval_overTwoServers_oneKilledMidRun_scoresEverySampleExactlyOnce() throws Exception {
        Path model = BuiltInModel.file(dir.resolve("home"));
        String a = serve(model, "a"), b = serve(model, "b");
        Path runDir = dir.resolve("run");
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(err, true));
        int problems = 12, k = 2;
        CompletableFuture<Integer> eval = CompletableFuture.supplyAsync(() -> cl.execute("eval", "--bench", "arithmetic",
                "--limit", String.valueOf(problems), "-k", String.valueOf(k), "--concurrency", "4", "--seed", "5",
                "--endpoint", a, "--endpoint", b, "--model-name", "tiny-r1", "--max-tokens", "400",
                "--out", runDir.toString(), "--quiet"));

        Path samples = runDir.resolve("samples.jsonl");
        while (!Files.exists(samples) || Files.readAllLines(samples).size() < 4) {
            assertThat(eval).as("the run is still going when a server is killed; %s", err).isNotDone();
            Thread.sleep(10);
        }
        servers.getFirst().destroyForcibly().waitFor(); // SIGKILL: its open requests break mid-answer

        assertThat(eval.get()).as(err.toString()).isZero();
        ObjectMapper json = new ObjectMapper();
        Set<String> keys = new HashSet<>();
        List<String> lines = Files.readAllLines(samples).stream().filter(l -> !l.isBlank()).toList();
        for (String line : lines) {
            JsonNode s = json.readTree(line);
            assertThat(keys.add(s.get("id").asText() + "#" + s.get("sample").asInt())).as("scored once: %s", line).isTrue();
            assertThat(s.get("finish_reason").asText()).isIn("stop", "length");
        }
        assertThat(lines).hasSize(problems * k);
        JsonNode summary = json.readTree(runDir.resolve("summary.json").toFile());
        assertThat(summary.get("n_problems").asInt()).isEqualTo(problems);
    }

    /** Starts {@code r1j serve} on a free port in its own JVM; returns its base URL. */
    private String serve(Path model, String name) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "serve", "-m", model.toString(), "--port", "0", "--parallel", "4", "--alias", "tiny-r1");
        pb.environment().put("R1J_HOME", dir.resolve("home").toString());
        pb.redirectError(dir.resolve(name + ".err").toFile());
        Process p = pb.start();
        servers.add(p);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            Matcher m = Pattern.compile("on (http://\\S+)").matcher(line);
            if (m.find()) return m.group(1);
        }
        throw new AssertionError("server " + name + " did not start: " + Files.readString(dir.resolve(name + ".err")));
    }
}
