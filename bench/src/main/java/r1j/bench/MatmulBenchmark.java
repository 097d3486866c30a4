package r1j.bench;

import java.lang.foreign.Arena;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import r1j.tensor.ComputePool;
import r1j.tensor.GgmlType;
import r1j.tensor.Interleaved4Matrix;
import r1j.tensor.Interleaved6Matrix;
import r1j.tensor.RowSource;
import r1j.tensor.WeightMatrix;

/**
 * The weight-matrix product of each tensor type, {@code out [batch][rows] = x [batch][cols] · Wᵀ} through
 * {@link WeightMatrix#matmul} on a {@link ComputePool} of {@code threads}: {@code batch} 1 is a decode step's
 * projection (the fused {@code dot} kernel, memory-bound at best), larger batches are prompt processing (each row
 * decoded once into a tile for all activation rows). The default shape {@code 8960x1536} is
 * DeepSeek-R1-Distill-Qwen-1.5B's {@code ffn_up}; {@code 1536x8960} is its {@code ffn_down}.
 *
 * <p>{@code layout=repacked} runs the matrix as a model load does by default: Q4_0/Q4_K repacked into
 * {@link Interleaved4Matrix}, Q6_K into {@link Interleaved6Matrix} (8-bit activations, rows in lanes); other types,
 * and vectors narrower than 256 bits, stay on the file's layout. {@code layout=file} is {@code -Dr1j.repack=false}.
 *
 * <p>Besides ops/s, the {@code weightBytes} counter is the file's weight bytes per second (divide by 10⁹ for GB/s;
 * the same bytes for both layouts, so the rates compare; BENCHMARKS.md gives the machine's read bandwidth);
 * {@code flops} is multiply-adds × 2 per second. Equivalently GB/s = {@code rows × type.bytesFor(cols)} / (ns/op).
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar MatmulBenchmark -p type=Q4_K -p batch=1 -p threads=1}
 * (all types, layouts, thread counts and batch sizes by default: about 16 minutes).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class MatmulBenchmark {

    @Param({"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_K", "Q6_K"})
    public String type;

    @Param({"8960x1536"})
    public String shape;

    @Param({"1", "32"})
    public int batch;

    @Param({"1", "2"})
    public int threads;

    @Param({"file", "repacked"})
    public String layout;

    private Arena arena;
    private ComputePool pool;
    WeightMatrix weights;
    long fileBytes;
    float[] x;   // [batch][cols]
    float[] out; // [batch][rows]

    /** Per-iteration totals JMH turns into rates: weight bytes and floating-point operations per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Traffic {
        public long weightBytes;
        public long flops;

        @Setup(Level.Iteration)
        public void reset() {
            weightBytes = 0;
            flops = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        String[] dims = shape.split("x");
        int rows = Integer.parseInt(dims[0]), cols = Integer.parseInt(dims[1]);
        arena = Arena.ofShared();
        pool = new ComputePool(threads);
        weights = WeightData.matrix(GgmlType.valueOf(type), rows, cols, 42, arena);
        fileBytes = weights.data().byteSize();
        if (layout.equals("repacked") && Interleaved4Matrix.canRepack(weights)) {
            weights = Interleaved4Matrix.repack(weights, RowSource.of(weights), arena);
        } else if (layout.equals("repacked") && Interleaved6Matrix.canRepack(weights)) {
            weights = Interleaved6Matrix.repack(weights, RowSource.of(weights), arena);
        }
        x = WeightData.gaussian(new SplittableRandom(7), batch * cols, 1.0);
        out = new float[batch * rows];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
        arena.close();
    }

    @Benchmark
    public float[] matmul(Traffic traffic) {
        weights.matmul(x, batch, out, pool);
        traffic.weightBytes += fileBytes;
        traffic.flops += 2L * batch * weights.rows() * weights.cols();
        return out;
    }
}
