package r1j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without {@code -m}, {@code r1j generate} answers with the built-in tiny R1, as on a fresh machine: a separate JVM
 * with an empty {@code R1J_HOME}, the R1 prompt format, reasoning and answer apart in the JSON line.
 */
@Timeout(600)
class BuiltInModelCommandTest {

    @TempDir
    Path home;

    @Test
    void generateJson_withoutModel_usesTheBuiltInTinyR1_andSplitsReasoningFromTheBoxedAnswer() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "generate", "--json", "--greedy", "-p", "What is 347 + 589?");
        pb.environment().put("R1J_HOME", home.toString());
        pb.redirectError(home.resolve("stderr.txt").toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(500, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("stderr: %s", Files.readString(home.resolve("stderr.txt"))).isZero();

        JsonNode json = new ObjectMapper().readTree(out.lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
        assertThat(json.path("reasoning").asText()).as(out).isNotBlank().doesNotContain("<think>", "</think>");
        assertThat(json.path("answer").asText()).as(out).contains("\\boxed{936}").doesNotContain("</think>");
        assertThat(json.path("reasoning").asText()).as(out).contains("347+589:", "check: 936-589=347");
        assertThat(json.path("usage").path("completion_tokens_details").path("reasoning_tokens").asInt()).isPositive();
        try (var files = Files.list(home.resolve("builtin"))) {
            assertThat(files.map(f -> f.getFileName().toString())).singleElement().asString().startsWith("tiny-r1-");
        }
    }
}
