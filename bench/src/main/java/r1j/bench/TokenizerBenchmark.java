package r1j.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import r1j.tokenizer.Tokenizer;

/**
 * Encoding a chat prompt with DeepSeek-R1-Distill-Qwen's tokenizer (the Qwen2 vocabulary of core's test resources
 * with the {@code deepseek-r1-qwen} pre-tokenizer): English, LaTeX, code, digits and Chinese, about 1 kB (404 tokens). The
 * merger caches words, so after warm-up this is the speed of a server encoding prompts in a familiar language.
 * The {@code tokens} and {@code bytes} counters are tokens/s and UTF-8 bytes/s.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar TokenizerBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class TokenizerBenchmark {

    /** A reasoning-style prompt mixing the scripts and symbols the pre-tokenizer splits differently. */
    static final String TEXT = """
            <｜User｜>Find all real x such that x^2 - 5x + 6 = 0, and explain each step. Then write a Java method
            that returns the roots of ax^2 + bx + c for doubles a, b, c (a != 0).<｜Assistant｜><think>
            Okay, so I need to solve the quadratic x² − 5x + 6 = 0. Let me factor it: I'm looking for two numbers
            whose product is 6 and whose sum is 5. That's 2 and 3, so (x - 2)(x - 3) = 0 and x = 2 or x = 3.
            Check: 2^2 - 5*2 + 6 = 4 - 10 + 6 = 0. ✓ And 9 - 15 + 6 = 0. ✓
            The discriminant is b^2 - 4ac = 25 - 24 = 1 > 0, which confirms two distinct real roots: \\frac{5 \\pm 1}{2}.
            Now the code:
                static double[] roots(double a, double b, double c) {
                    double d = b * b - 4 * a * c;
                    if (d < 0) return new double[0];
                    double s = Math.sqrt(d);
                    return new double[] {(-b - s) / (2 * a), (-b + s) / (2 * a)};
                }
            用中文再说一遍：方程 x² − 5x + 6 = 0 的两个根是 2 和 3。Total cost: $1,234.56 for 1234567 items (≈ 0.001 each).
            </think>
            The solutions are **x = 2** and **x = 3**.
            """;

    private Tokenizer tokenizer;
    private int bytes;

    /** Per-iteration totals JMH turns into rates: tokens and UTF-8 bytes encoded per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Throughput {
        public long tokens;
        public long bytes;

        @Setup(Level.Iteration)
        public void reset() {
            tokens = 0;
            bytes = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        tokenizer = qwen2Tokenizer();
        bytes = TEXT.getBytes(StandardCharsets.UTF_8).length;
    }

    @Benchmark
    public int[] encode(Throughput counters) {
        int[] ids = tokenizer.encode(TEXT, false, true);
        counters.tokens += ids.length;
        counters.bytes += bytes;
        return ids;
    }

    /** The Qwen2 vocabulary (vocab.json, merges.txt) unpacked from the classpath into a temporary directory. */
    static Tokenizer qwen2Tokenizer() throws IOException {
        Path dir = Files.createTempDirectory("r1j-bench-vocab");
        try {
            for (String name : List.of("vocab.json", "merges.txt")) {
                String resource = "/tokenizer/vocab/qwen2/" + name + ".gz";
                try (InputStream raw = TokenizerBenchmark.class.getResourceAsStream(resource)) {
                    if (raw == null) throw new IllegalStateException("resource " + resource + " is missing from the benchmark jar");
                    try (InputStream in = new GZIPInputStream(raw)) {
                        Files.copy(in, dir.resolve(name));
                    }
                }
            }
            return Tokenizer.load(dir, "deepseek-r1-qwen");
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) Files.delete(f);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Files.delete(dir);
        }
    }
}
