package r1j.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The markdown table {@code r1j bench} prints, in llama-bench's columns plus the effective weight bandwidth of the
 * generation tests: bytes of weights one forward step reads × steps/s. For a batched test one step serves every
 * sequence, so the bandwidth is that of the steps, not of the aggregate tokens.
 *
 * @param model   the model's name (file name)
 * @param traffic the model's weights
 * @param threads compute threads
 */
public record BenchTable(String model, WeightTraffic traffic, int threads) {

    private static final String HEADER = "| model | size | params | types | threads | test | t/s | weights GB/s |";
    private static final String RULE = "| --- | ---: | ---: | --- | ---: | --- | ---: | ---: |";

    /** The table, one row per measurement, ending with a newline. */
    public String render(List<Measurement> measurements) {
        List<String> lines = new ArrayList<>(List.of(HEADER, RULE));
        for (Measurement m : measurements) {
            String bandwidth = m.test().startsWith("tg")
                    ? fmt("%.2f", traffic.gigabytesPerSecond(m.meanStepsPerSecond())) : "";
            lines.add("| %s | %s | %s | %s | %d | %s | %s | %s |".formatted(model, size(traffic.weightBytes()),
                    fmt("%.2f B", traffic.parameters() / 1e9), traffic.typeMix(), threads, m.test(),
                    fmt("%.2f ± %.2f", m.meanTokensPerSecond(), m.stddevTokensPerSecond()), bandwidth));
        }
        return String.join("\n", lines) + "\n";
    }

    /** {@code 1.76 GiB} or {@code 3.52 MiB}. */
    static String size(long bytes) {
        return bytes >= 1L << 30 ? fmt("%.2f GiB", bytes / (double) (1L << 30)) : fmt("%.2f MiB", bytes / (double) (1L << 20));
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
