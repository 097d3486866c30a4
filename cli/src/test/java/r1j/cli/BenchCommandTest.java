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
