package r1j.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import r1j.grammar.Grammar;
import r1j.grammar.JsonMatcher;
import r1j.grammar.TokenMasker;
import r1j.tokenizer.Tokenizer;

/**
 * The per-token cost of constrained decoding: one {@link TokenMasker#mask} over Qwen2's 151,646-token vocabulary
 * (core's test resources) at typical states of a JSON answer, against the reference that feeds every token's bytes
 * to the matcher ({@code scan}). The time per call is what each constrained token adds to a decoding step.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar TokenMaskBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class TokenMaskBenchmark {

    static final String SCHEMA = """
            {"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer"},
             "tags":{"type":"array","items":{"enum":["red","green","blue"]}},"ok":{"type":"boolean"}},
             "required":["name","age","tags","ok"]}""";

    /** The output so far: before the object, inside a string, inside a number, at an enum value, after a value. */
    @Param({"", "{\"name\":\"Ada Lov", "{\"name\":\"A\",\"age\":3", "{\"name\":\"A\",\"age\":3,\"tags\":[", "{\"name\":\"A\""})
    public String prefix;

    private TokenMasker masker;
    private JsonMatcher state;
    private byte[][] bytes;
    private long[] mask;

    @Setup
    public void setUp() throws IOException {
        Tokenizer t = TokenizerBenchmark.qwen2Tokenizer();
        bytes = new byte[t.vocabSize()][];
        for (int id = 0; id < bytes.length; id++) {
            bytes[id] = t.isSpecial(id) ? new byte[0] : t.tokenBytes(id, false);
        }
        masker = new TokenMasker(bytes, new int[] {t.eos()});
        state = JsonMatcher.start(Grammar.fromSchema(SCHEMA)).advance(prefix.getBytes(StandardCharsets.UTF_8));
        mask = new long[TokenMasker.words(bytes.length)];
    }

    @Benchmark
    public long[] trie() {
        masker.mask(state, mask);
        return mask;
    }

    @Benchmark
    public long[] scan() {
        masker.maskByScan(state, bytes, mask);
        return mask;
    }
}
