package r1j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import r1j.model.GoldenModels;

class BenchCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        return cmd.execute(args);
    }

    @Test
    void bench_printsAMarkdownRowPerTestWithSpeedAndDecodeBandwidth() {
        String model = GoldenModels.model("qwen2-tiny", "Q4_K_M").toString();
        int rc = run("bench", "-m", model, "-p", "8", "-n", "3", "-r", "2", "-t", "2", "--batch", "3");
        assertThat(rc).as(err.toString()).isZero();

        List<String> rows = out.toString().lines().filter(l -> l.startsWith("| Q4_K_M.gguf")).toList();
        assertThat(rows).hasSize(3);
        assertThat(out.toString()).startsWith("| model | size | params | types | threads | test | t/s | weights GB/s |");
        String[][] cells = rows.stream().map(r -> Arrays.stream(r.split("\\|")).map(String::strip).toArray(String[]::new))
                .toArray(String[][]::new);
        assertThat(Arrays.stream(cells).map(c -> c[6])).containsExactly("pp8", "tg3", "tg3 x3");
        for (String[] c : cells) {
            assertThat(c[4]).contains("Q4_K").contains("Q6_K").contains("F32");
            assertThat(c[5]).isEqualTo("2");
            assertThat(Double.parseDouble(c[7].split(" ± ")[0])).isPositive();
        }
        assertThat(cells[0][8]).isEmpty();
        assertThat(Double.parseDouble(cells[1][8])).isPositive();
        assertThat(out.toString()).contains("weights read per decode step:");
    }

    @Test
    void bench_canSkipPromptProcessing() {
        int rc = run("bench", "-m", GoldenModels.model("llama-tiny", "Q8_0").toString(), "-p", "0", "-n", "2", "-r", "1", "-t", "1");
        assertThat(rc).as(err.toString()).isZero();
        assertThat(out.toString()).doesNotContain("| pp").contains("| tg2 |");
    }

    @Test
    void bench_jsonHasLlamaBenchsFieldsPerTest() throws Exception {
        String model = GoldenModels.model("qwen2-tiny", "Q8_0").toString();
        int rc = run("bench", "-m", model, "-p", "6", "-n", "2", "-d", "5", "-r", "2", "-t", "2", "--batch", "2", "-o", "json");
        assertThat(rc).as(err.toString()).isZero();

        var tests = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString());
        assertThat(tests.size()).isEqualTo(3);
        String[][] expected = {{"pp6 @ d5", "6", "0", "1"}, {"tg2 @ d5", "0", "2", "1"}, {"tg2 x2 @ d5", "0", "2", "2"}};
        for (int i = 0; i < 3; i++) {
            var t = tests.get(i);
            assertThat(t.path("test").asText()).isEqualTo(expected[i][0]);
            assertThat(t.path("model_filename").asText()).isEqualTo("Q8_0.gguf");
            assertThat(t.path("model_type").asText()).startsWith("qwen2 ").contains("Q8_0");
            assertThat(t.path("n_prompt").asInt()).isEqualTo(Integer.parseInt(expected[i][1]));
            assertThat(t.path("n_gen").asInt()).isEqualTo(Integer.parseInt(expected[i][2]));
            assertThat(t.path("n_seq").asInt()).isEqualTo(Integer.parseInt(expected[i][3]));
            assertThat(t.path("n_depth").asInt()).isEqualTo(5);
            assertThat(t.path("n_threads").asInt()).isEqualTo(2);
            assertThat(t.path("type_k").asText()).isEqualTo("f16");
            assertThat(t.path("samples_ts").size()).isEqualTo(2);
            double mean = (t.path("samples_ts").get(0).asDouble() + t.path("samples_ts").get(1).asDouble()) / 2;
            assertThat(t.path("avg_ts").asDouble()).isPositive().isCloseTo(mean, org.assertj.core.data.Offset.offset(mean * 1e-9));
            assertThat(t.path("stddev_ts").isNumber()).isTrue();
        }
    }

    @Test
    void bench_depthAndKvTypeShowInTheTable() {
        String model = GoldenModels.model("llama-tiny", "Q8_0").toString();
        int rc = run("bench", "-m", model, "-p", "0", "-n", "2", "-d", "600", "-r", "1", "-t", "1", "--kv-type", "f32");
        assertThat(rc).as(err.toString()).isZero();
        assertThat(out.toString()).contains("| tg2 @ d600 |");
    }

    @Test
    void bench_rejectsADepthOrFormatItCannotRun() {
        String model = GoldenModels.model("llama-tiny", "Q8_0").toString();
        assertThat(run("bench", "-m", model, "-d", "-1")).isEqualTo(2);
        assertThat(run("bench", "-m", model, "-o", "csv")).isEqualTo(2);
        assertThat(run("bench", "-m", model, "-p", "0", "-n", "8", "-d", "5000", "-r", "1")).isEqualTo(2);
        assertThat(run("bench", "-m", model, "--kv-type", "q3")).isNotZero();
        assertThat(err.toString()).contains("-d -1").contains("-o csv").contains("exceed the model's context")
                .contains("'q3' is not supported");
    }

    @Test
    void bench_rejectsOptionsThatMeasureNothing() {
        String model = GoldenModels.model("llama-tiny", "Q8_0").toString();
        assertThat(run("bench", "-m", model, "-p", "0", "-n", "0")).isEqualTo(2);
        assertThat(run("bench", "-m", model, "-r", "0")).isEqualTo(2);
        assertThat(run("bench", "-m", model, "--batch", "0")).isEqualTo(2);
        assertThat(run("bench", "-m", model, "-t", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("nothing to measure").contains("at least 1 repetition")
                .contains("at least 1 sequence").contains("at least 1 thread");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void bench_missingModelFailsWithAClearMessage() {
        int rc = run("bench", "-m", "/nonexistent/dir/nope.gguf", "-r", "1");
        assertThat(rc).isNotZero();
        assertThat(err.toString()).contains("nope.gguf").contains("not found");
    }
}
