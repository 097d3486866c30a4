package r1j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./r1j} launcher itself, run as a user runs it (on this build's classes through {@code R1J_CLASSPATH},
 * so it does not build a jar): stderr reaches the caller directly, so with {@code 2>&1} the reasoning (stderr) comes
 * before the answer (stdout) exactly as the model produced them, and the JVM's incubator-module warning is not shown.
 */
@Timeout(600) // a hang detector only: two JVMs with the built-in model on a loaded 2-core machine
class LauncherTest {

    private static final String QUESTION = "What is 347 + 589?";

    @TempDir
    Path home;

    @Test
    void generate_withStderrMergedIntoStdout_showsTheReasoningBeforeTheAnswer_andNoIncubatorWarning() throws Exception {
        // Apart first: what the reasoning and the answer are (greedy, so the merged run produces the same text).
        Run apart = launch("./r1j generate --greedy -p '" + QUESTION + "' 2> \"$R1J_HOME/err.txt\"");
        String reasoning = Files.readString(home.resolve("err.txt"), StandardCharsets.UTF_8).strip();
        String answer = apart.output().strip();
        assertThat(reasoning).as("the reasoning, on stderr").isNotBlank().doesNotContain("WARNING");
        assertThat(answer).as("the answer, on stdout").contains("\\boxed{").doesNotContain(reasoning);

        Run merged = launch("./r1j generate --greedy -p '" + QUESTION + "' 2>&1 | cat");

        assertThat(merged.output()).doesNotContain("WARNING: Using incubator modules");
        String m = merged.output().strip();
        assertThat(m).as("the reasoning first, then the answer").startsWith(reasoning).endsWith(answer);
        assertThat(m.substring(reasoning.length(), m.length() - answer.length())).as("between them").isBlank();
    }

    @Test
    void errors_reachStderrBeforeTheLauncherReturns() throws Exception {
        Run r = launch("./r1j generate -m /no/such/model.gguf -p hi 2>&1; echo \"exit $?\"");
        List<String> lines = r.output().strip().lines().toList();
        assertThat(lines).last().isEqualTo("exit 1");
        assertThat(lines).hasSize(2).first().asString().startsWith("r1j generate: model '/no/such/model.gguf' not found");
    }

    private record Run(String output) {
    }

    /** Runs {@code script} with bash in the repository root, as a user would, and returns stdout. */
    private Run launch(String script) throws IOException, InterruptedException {
        Path root = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
        assertThat(root.resolve("r1j")).as("the launcher at the repository root").isExecutable();
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).directory(root.toFile());
        pb.environment().put("R1J_CLASSPATH", System.getProperty("java.class.path"));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("R1J_HOME", home.toString());
        pb.redirectError(home.resolve("launcher-stderr.txt").toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("exit status; stdout: %s; stderr: %s", out,
                Files.readString(home.resolve("launcher-stderr.txt"))).isZero();
        return new Run(out);
    }
}
