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
import r1j.tensor.WeightMatrix;

/**
 * The decode (one activation row) kernels side by side on one thread: {@code rowDot} is the per-row fused
 * {@link WeightMatrix#dot} (the decode path before the kernel seam), {@code matmul} is {@link WeightMatrix#matmul}
 * with {@code n = 1}: activations prepared once per call, the type's {@code dotRows} kernel with its offsets
 * folded into activation sums. Both read the same 8960x1536 matrix (R1-Distill-Qwen-1.5B's {@code ffn_up}).
 * {@code weightBytes} is weight bytes per second (GB/s = /10⁹).
 *
 * <p>Run at each vector width, comparing the two kernels within one run:
 * {@code java -jar bench/target/benchmarks.jar DecodeKernelBenchmark -jvmArgsAppend -Dr1j.vector.bits=256}
 * (and {@code =512}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class DecodeKernelBenchmark {

    @Param({"Q8_0", "Q4_0", "Q4_K", "Q5_K", "Q6_K"})
    public String type;

    private Arena arena;
    private ComputePool pool;
    private WeightMatrix weights;
    private float[] x;   // [cols]
    private float[] out; // [rows]

    /** Weight bytes streamed, per second once JMH divides by time. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Traffic {
        public long weightBytes;

        @Setup(Level.Iteration)
        public void reset() { weightBytes = 0; }
    }

    @Setup(Level.Trial)
    public void setUp() {
        int rows = 8960, cols = 1536;
        arena = Arena.ofShared();
        pool = new ComputePool(1);
        weights = WeightData.matrix(GgmlType.valueOf(type), rows, cols, 42, arena);
        x = WeightData.gaussian(new SplittableRandom(7), cols, 1.0);
        out = new float[rows];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
        arena.close();
    }

    @Benchmark
    public float[] rowDot(Traffic traffic) {
        for (int r = 0; r < out.length; r++) out[r] = weights.dot(r, x, 0);
        traffic.weightBytes += weights.data().byteSize();
        return out;
    }

    @Benchmark
    public float[] matmul(Traffic traffic) {
        weights.matmul(x, 1, out, pool);
        traffic.weightBytes += weights.data().byteSize();
        return out;
    }
}
