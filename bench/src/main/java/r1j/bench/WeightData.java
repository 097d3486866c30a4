package r1j.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import r1j.tensor.GgmlType;
import r1j.tensor.Quantizer;
import r1j.tensor.WeightMatrix;

/**
 * Seeded random weight matrices for the kernel benchmarks: Gaussian values (σ 0.02, like a trained layer's scale)
 * quantized by r1j's {@link Quantizer} into off-heap memory from a shared arena, as a mapped GGUF file would be,
 * so the pool's threads can read them.
 */
final class WeightData {

    private WeightData() {}

    /** A {@code [rows][cols]} matrix of {@code type}, filled a band of rows at a time to bound the heap used. */
    static WeightMatrix matrix(GgmlType type, int rows, int cols, long seed, Arena arena) {
        long rowBytes = type.bytesFor(cols);
        MemorySegment data = arena.allocate(rows * rowBytes, 64);
        SplittableRandom random = new SplittableRandom(seed);
        int band = Math.max(1, (1 << 20) / cols);
        for (int r0 = 0; r0 < rows; r0 += band) {
            int n = Math.min(band, rows - r0);
            float[] values = gaussian(random, n * cols, 0.02);
            byte[] q = Quantizer.quantize(type, values, n, cols);
            MemorySegment.copy(MemorySegment.ofArray(q), 0, data, r0 * rowBytes, q.length);
        }
        return WeightMatrix.of(type, data, rows, cols);
    }

    /** {@code n} Gaussian values of standard deviation {@code sigma}. */
    static float[] gaussian(SplittableRandom random, int n, double sigma) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (random.nextGaussian() * sigma);
        return v;
    }
}
