package r1j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import r1j.model.GoldenModels;

class GenerateCommandTest {

    private record Run(int rc, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int rc = cmd.execute(args);
        return new Run(rc, out.toString(), err.toString());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"qwen2-tiny, Q8_0", "llama-tiny, F16"})
    void generate_greedyIds_matchLlamaCppDequantizedGreedy(String variant, String type) {
        JsonNode manifest = GoldenModels.manifest(variant);
        int[] prompt = GoldenModels.ints(manifest.path("greedy").path("prompt_ids"), "greedy.prompt_ids");
        JsonNode deq = manifest.path("types").path(type).path("dequantized_f32_math");
        int[] expected = GoldenModels.ints(deq.path("greedy_ids"), "greedy_ids");
        float[] margins = GoldenModels.floats(deq.path("greedy_top1_minus_top2_margins"), "margins");

        Run r = run("generate", "-m", GoldenModels.model(variant, type).toString(),
                "--tokens", Arrays.stream(prompt).mapToObj(Integer::toString).collect(Collectors.joining(",")),
                "-n", "24", "--greedy", "--ids");

        assertThat(r.rc()).as(r.err()).isZero();
        String[] lines = r.out().strip().split("\n");
        assertThat(lines).hasSize(1);
        int[] got = Arrays.stream(lines[0].split(" ")).mapToInt(Integer::parseInt).toArray();
        assertThat(got).hasSize(24);
        for (int i = 0; i < got.length; i++) {
            if (got[i] != expected[i]) {
                assertThat(margins[i]).as("first mismatch at step %d is not a near-tie", i).isLessThan(1e-3f);
                break;
            }
        }
    }

    @Test
    void generate_withoutGreedyExplainsWhatToAdd() {
        Run r = run("generate", "-m", GoldenModels.model("llama-tiny", "Q4_0").toString(), "--tokens", "1,2", "--ids");
        assertThat(r.rc()).isNotZero();
        assertThat(r.err()).contains("--greedy");
    }

    @Test
    void generate_statsReportsPrefillAndDecodeSpeed() {
        Run r = run("generate", "-m", GoldenModels.model("llama-tiny", "Q4_K_M").toString(), "--tokens", "506,1,2,3",
                "-n", "4", "--greedy", "--ids", "--stats");
        assertThat(r.rc()).as(r.err()).isZero();
        assertThat(r.out().strip().split(" ")).hasSize(4);
        assertThat(r.err()).contains("prefill: 4 tokens").contains("decode: 3 tokens");
    }
}
