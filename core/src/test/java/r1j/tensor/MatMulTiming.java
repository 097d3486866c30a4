package r1j.tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;

/**
 * Hand-run timing harness, not an asserted test: single-thread matmul time per activation row for n = 1, 4, 8, 16
 * relative to n = 1, and single-row dot throughput, on seeded weights quantized with {@link Quantizer}. Run with
 * <pre>./mvnw -q -B -o -pl core test -Dtest=MatMulTiming -Dr1j.timing=true</pre>
 * ({@code -Dr1j.timing.types=Q8_0,Q4_K}, {@code -Dr1j.timing.shape=8960x1536} to narrow). Prints medians.
 */
@EnabledIfSystemProperty(named = "r1j.timing", matches = "true")
class MatMulTiming {

    @Test
    void printTimings() {
        String[] types = System.getProperty("r1j.timing.types", "Q8_0,Q4_K").split(",");
        String[] shapes = System.getProperty("r1j.timing.shape", "8960x1536,1536x8960").split(",");
        boolean dots = Boolean.getBoolean("r1j.timing.dot");
        try (Arena arena = Arena.ofShared(); ComputePool pool = new ComputePool(1)) {
            for (String shape : shapes) {
                int rows = Integer.parseInt(shape.split("x")[0]);
                int cols = Integer.parseInt(shape.split("x")[1]);
                float[] src = new float[rows * cols];
                Random rnd = new Random(42);
                for (int i = 0; i < src.length; i++) src[i] = (float) rnd.nextGaussian() * 0.05f;
                for (String name : types) {
                    GgmlType type = GgmlType.valueOf(name.strip());
                    byte[] bytes = Quantizer.quantize(type, src, rows, cols);
                    MemorySegment seg = arena.allocate(bytes.length, 64);
                    seg.copyFrom(MemorySegment.ofArray(bytes));
                    WeightMatrix w = WeightMatrix.of(type, seg, rows, cols);
                    if (dots) {
                        float[] x = gaussian(cols, 7);
                        double ns = median(() -> {
                            float s = 0;
                            for (int r = 0; r < rows; r++) s += w.dot(r, x, 0);
                            sink += s;
                        }, 9);
                        float[] rowBuf = new float[cols];
                        double nsDq = median(() -> {
                            for (int r = 0; r < rows; r++) w.dequantizeRow(r, rowBuf, 0);
                        }, 9);
                        System.out.printf("%s %dx%d dot: %.2f Gelem/s, dequantizeRow %.2f Gelem/s%n", type, rows, cols,
                                (double) rows * cols / ns, (double) rows * cols / nsDq);
                        continue;
                    }
                    double base = 0;
                    StringBuilder line = new StringBuilder("%s %dx%d".formatted(type, rows, cols));
                    for (int n : java.util.Arrays.stream(System.getProperty("r1j.timing.n", "1,4,8,16").split(",")).mapToInt(Integer::parseInt).toArray()) {
                        float[] x = gaussian(n * cols, n);
                        float[] out = new float[n * rows];
                        double ns = median(() -> w.matmul(x, n, out, pool), 15);
                        if (n == 1) base = ns;
                        line.append("  n=%d %.2fms (%.2fx n=1, %.3f/row)".formatted(n, ns / 1e6, ns / base, ns / base / n));
                    }
                    System.out.println(line);
                }
            }
        }
    }

    static volatile float sink;

    /** Thread CPU time, not wall time: the machine is shared, and a descheduled thread would count its wait. */
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();
    private static final int WARMUP = Integer.getInteger("r1j.timing.warmup", 30);

    private static double median(Runnable r, int reps) {
        for (int i = 0; i < WARMUP; i++) r.run();
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = CPU.getCurrentThreadCpuTime();
            r.run();
            t[i] = CPU.getCurrentThreadCpuTime() - t0;
        }
        Arrays.sort(t);
        return t[reps / 2];
    }

    private static float[] gaussian(int n, long seed) {
        Random rnd = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) rnd.nextGaussian();
        return x;
    }
}
