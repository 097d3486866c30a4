package r1j.bench;

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
import r1j.tensor.VectorMath;

/**
 * The decode ceiling of this machine as r1j's code sees it: a STREAM-style read of a {@code megabytes} float array
 * (far larger than the caches), split over a {@link ComputePool} of {@code threads}, each thread summing its slice
 * with r1j's vector dot product of the slice with itself (one load per element). BASELINE.md measured 14.7 GB/s on
 * one thread and 29.1 GB/s on two with a C STREAM read on the llama.cpp reference machine; a decode step can stream
 * weights no faster than this, so tokens/s × weight bytes per token ÷ this figure is the % of ceiling reached.
 * The {@code bytes} counter is bytes/s (÷ 10⁹ for GB/s).
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar MemoryReadBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx3g"})
public class MemoryReadBenchmark {

    @Param({"1024"})
    public int megabytes;

    @Param({"1", "2"})
    public int threads;

    private ComputePool pool;
    float[] data;
    private float[] partial;
    private final ComputePool.Task sumSlice = this::sumSlice;

    /** Per-iteration total JMH turns into bytes/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Traffic {
        public long bytes;

        @Setup(Level.Iteration)
        public void reset() {
            bytes = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        pool = new ComputePool(threads);
        data = WeightData.gaussian(new SplittableRandom(3), megabytes << 18, 1.0);
        partial = new float[threads];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public float read(Traffic traffic) {
        pool.run(threads, sumSlice);
        traffic.bytes += 4L * data.length;
        float sum = 0;
        for (float p : partial) sum += p;
        return sum;
    }

    private void sumSlice(int ith, int nth) {
        int from = (int) ((long) data.length * ith / nth), to = (int) ((long) data.length * (ith + 1) / nth);
        partial[ith] = VectorMath.dot(data, from, data, from, to - from);
    }
}
