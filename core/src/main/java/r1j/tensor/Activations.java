package r1j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The activations of one {@link MatMul} call, prepared once for every weight row that reads them: the rows
 * themselves ({@code x [n][cols]}) and, for a single row whose length is a multiple of 16, the sum of each run of
 * 16 values ({@code sums16 [cols/16]}). Decode kernels use the sums to apply a per-block offset once per block
 * ({@code sum((q - 8) * x) = sum(q * x) - 8 * sum(x)}) instead of once per weight. One instance per calling
 * thread, reused: preparing allocates only when a call needs more room than any before.
 */
final class Activations {

    /**
     * Rows up to which the repacked matrices run their 8-bit decode kernels (four activation rows per pass); more
     * rows go through F32 panels, whose dequantization pays only over many rows. Measured (BENCHMARKS.md, "Four
     * activation rows per pass"): the 8-bit kernels win up to about 32 rows with 512-bit vectors and 16 with 256.
     */
    static final int QUANTIZED_ROWS = Vectors.L >= 16 ? 32 : 16;

    float[] x;
    /** Sums of {@code x[16j .. 16j+15]} for a single activation row; unused when {@code n > 1}. */
    float[] sums16 = new float[0];
    /**
     * The activation rows quantized to 8 bits per run of 32 values, for {@link Interleaved4Matrix}: the values
     * {@code xq [n][cols]} (in {@code [-127, 127]}), the scale {@code dx[b]} of run {@code b}, and {@code xsum[b] =
     * dx[b] * sum(xq of run b)}.
     */
    short[] xq = new short[0];
    float[] dx = new float[0], xsum = new float[0];

    /** The activation rows as the 8-bit kernels see them, {@code xq * dx} in F32 (for several rows). */
    float[] xdq = new float[0];

    Activations prepare(float[] x, int n, int cols) {
        return prepare(x, n, cols, false, true, null);
    }

    /** Rows from which the 8-bit rounding is split over the pool (a prompt's: it ran on one thread before). */
    static final int PARALLEL_ROWS = 64;

    /**
     * @param eightBit whether an {@link Interleaved4Matrix} reads these activations: they are then quantized to 8 bits
     *     for any number of rows (and, above {@link #QUANTIZED_ROWS} rows, also kept dequantized in {@link #xdq}), so
     *     a row gives the same result alone, in a small batch or in a prompt
     * @param sums whether a file-layout decode kernel reads {@link #sums16}
     * @param pool splits the rounding of {@link #PARALLEL_ROWS} rows or more by rows (rows are independent, so the
     *     result is the same); null rounds on the calling thread
     */
    Activations prepare(float[] x, int n, int cols, boolean eightBit, boolean sums, ComputePool pool) {
        this.x = x;
        if (sums && n == 1 && cols % 16 == 0) {
            int blocks = cols / 16;
            if (sums16.length < blocks) sums16 = new float[blocks];
            sums16(x, cols, sums16);
        }
        if (eightBit && cols % 32 == 0) {
            if (xq.length < n * cols) {
                xq = new short[n * cols];
                dx = new float[n * cols / 32];
                xsum = new float[n * cols / 32];
            }
            boolean dequantized = n > QUANTIZED_ROWS;
            if (dequantized && xdq.length < n * cols) xdq = new float[n * cols];
            if (pool != null && n >= PARALLEL_ROWS && pool.threads() > 1) {
                pool.run(pool.threads(), (ith, nth) -> eightBitRows(x, cols, n * ith / nth, n * (ith + 1) / nth, dequantized));
            } else {
                eightBitRows(x, cols, 0, n, dequantized);
            }
        }
        return this;
    }

    /** Rows {@code from .. to-1} rounded to 8 bits, and when {@code dequantized} also written back as F32 to {@link #xdq}. */
    private void eightBitRows(float[] x, int cols, int from, int to, boolean dequantized) {
        for (int i = from; i < to; i++) quantize(x, i * cols, cols, xq, dx, xsum);
        if (dequantized) dequantize(xq, dx, from * cols, to * cols, xdq);
    }

    /** {@code out[c] = dx[c/32] * xq[c]} for {@code c} in {@code from .. to-1} (whole runs of 32). */
    static void dequantize(short[] xq, float[] dx, int from, int to, float[] out) {
        if (!Vectors.QUANTIZED) {
            for (int c = from; c < to; c++) out[c] = dx[c / 32] * xq[c];
            return;
        }
        for (int b = from / 32; b < to / 32; b++) {
            float d = dx[b];
            for (int c = 32 * b; c < 32 * b + 32; c += Vectors.L) {
                ((FloatVector) ShortVector.fromArray(Vectors.SHORT, xq, c).convertShape(VectorOperators.S2F, Vectors.FLOAT, 0)).mul(d).intoArray(out, c);
            }
        }
    }

    /**
     * Each run of 32 values as {@code dx * q} with {@code dx = max|x| / 127} and {@code q = x * (1/dx)} rounded half
     * away from zero (ggml's {@code quantize_row_q8_0}, with a float scale), so {@code |q| <= 127}.
     */
    static void quantize(float[] x, int from, int cols, short[] xq, float[] dx, float[] xsum) {
        if (!Vectors.QUANTIZED) {
            quantizeReference(x, from, cols, xq, dx, xsum);
            return;
        }
        int L = Vectors.L;
        for (int b = from / 32; b < (from + cols) / 32; b++) {
            FloatVector m = FloatVector.zero(Vectors.FLOAT);
            for (int i = 32 * b; i < 32 * b + 32; i += L) m = m.max(FloatVector.fromArray(Vectors.FLOAT, x, i).abs());
            float amax = m.reduceLanes(VectorOperators.MAX);
            float d = amax / 127f, id = d == 0f ? 0f : 1f / d;
            int sum = 0;
            for (int i = 32 * b; i < 32 * b + 32; i += L) {
                FloatVector v = FloatVector.fromArray(Vectors.FLOAT, x, i).mul(id);
                IntVector q = (IntVector) v.abs().add(0.5f).convertShape(VectorOperators.F2I, Vectors.INT, 0);
                q = q.lanewise(VectorOperators.NEG, v.compare(VectorOperators.LT, 0f).cast(Vectors.INT));
                ((ShortVector) q.convertShape(VectorOperators.I2S, Vectors.SHORT, 0)).intoArray(xq, i);
                sum += q.reduceLanes(VectorOperators.ADD);
            }
            dx[b] = d;
            xsum[b] = d * sum;
        }
    }

    /** {@link #quantize} as a plain loop: its reference, and the path below 4 float lanes. */
    static void quantizeReference(float[] x, int from, int cols, short[] xq, float[] dx, float[] xsum) {
        for (int b = from / 32; b < (from + cols) / 32; b++) {
            float amax = 0f;
            for (int i = 32 * b; i < 32 * b + 32; i++) amax = Math.max(amax, Math.abs(x[i]));
            float d = amax / 127f, id = d == 0f ? 0f : 1f / d;
            int sum = 0;
            for (int i = 32 * b; i < 32 * b + 32; i++) {
                float v = x[i] * id;
                int q = (int) (Math.abs(v) + 0.5f);
                q = v < 0 ? -q : q;
                xq[i] = (short) q;
                sum += q;
            }
            dx[b] = d;
            xsum[b] = d * sum;
        }
    }

    /** {@code sums[j] = x[16j] + ... + x[16j+15]}, in that order (the kernels' reference uses the same sums). */
    static void sums16(float[] x, int cols, float[] sums) {
        for (int j = 0; j < cols / 16; j++) {
            float s = 0f;
            for (int i = 16 * j; i < 16 * j + 16; i++) s += x[i];
            sums[j] = s;
        }
    }
}
