package r1j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float-array operations of the forward pass, on the preferred vector width. Each has a plain scalar
 * {@code …Reference} method beside it that tests compare against; the fast ones differ only in summation order.
 * Offsets and lengths are in floats; arrays are never reallocated.
 */
public final class VectorMath {

    private static final VectorSpecies<Float> F = Vectors.FLOAT;

    private VectorMath() {}

    /** {@code sum_i a[aOff+i] * b[bOff+i]} for {@code i < n}. */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        int L = F.length();
        int upper = n - n % L;
        int i = 0;
        float sum = 0f;
        if (upper > 0) {
            FloatVector acc0 = FloatVector.zero(F);
            FloatVector acc1 = FloatVector.zero(F);
            // Two accumulators hide the FMA latency.
            for (; i + 2 * L <= upper; i += 2 * L) {
                acc0 = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc0);
                acc1 = FloatVector.fromArray(F, a, aOff + i + L).fma(FloatVector.fromArray(F, b, bOff + i + L), acc1);
            }
            for (; i < upper; i += L) {
                acc0 = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc0);
            }
            sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        }
        for (; i < n; i++) sum += a[aOff + i] * b[bOff + i];
        return sum;
    }

    /**
     * Four dot products sharing one vector: {@code out[outOff+k] = dot(w, k*n, x, xOff, n)} for {@code k < 4},
     * where {@code w} holds four rows of length {@code n} back to back. Each {@code x} vector is loaded once for
     * four FMAs (the matmul micro-kernel).
     */
    static void dot4(float[] w, int n, float[] x, int xOff, float[] out, int outOff) {
        int L = F.length();
        int upper = n - n % L;
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F), a2 = FloatVector.zero(F), a3 = FloatVector.zero(F);
        int i = 0;
        for (; i < upper; i += L) {
            FloatVector xv = FloatVector.fromArray(F, x, xOff + i);
            a0 = FloatVector.fromArray(F, w, i).fma(xv, a0);
            a1 = FloatVector.fromArray(F, w, n + i).fma(xv, a1);
            a2 = FloatVector.fromArray(F, w, 2 * n + i).fma(xv, a2);
            a3 = FloatVector.fromArray(F, w, 3 * n + i).fma(xv, a3);
        }
        float s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD);
        float s2 = a2.reduceLanes(VectorOperators.ADD), s3 = a3.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float xi = x[xOff + i];
            s0 += w[i] * xi;
            s1 += w[n + i] * xi;
            s2 += w[2 * n + i] * xi;
            s3 += w[3 * n + i] * xi;
        }
        out[outOff] = s0;
        out[outOff + 1] = s1;
        out[outOff + 2] = s2;
        out[outOff + 3] = s3;
    }

    public static float dotReference(float[] a, int aOff, float[] b, int bOff, int n) {
        float sum = 0f;
        for (int i = 0; i < n; i++) sum += a[aOff + i] * b[bOff + i];
        return sum;
    }

    /** {@code y[yOff+i] += a * x[xOff+i]} for {@code i < n}. */
    public static void axpy(float a, float[] x, int xOff, float[] y, int yOff, int n) {
        int L = F.length();
        int upper = n - n % L;
        int i = 0;
        for (; i < upper; i += L) {
            FloatVector.fromArray(F, x, xOff + i).fma(FloatVector.broadcast(F, a), FloatVector.fromArray(F, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = Math.fma(a, x[xOff + i], y[yOff + i]);
    }

    public static void axpyReference(float a, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] += a * x[xOff + i];
    }

    /**
     * RMS normalisation as llama.cpp computes it: {@code out = (x / sqrt(mean(x²) + eps)) * weight}.
     * {@code out} may be {@code x}.
     */
    public static void rmsNorm(float[] out, int outOff, float[] x, int xOff, float[] weight, int n, float eps) {
        float scale = (float) (1.0 / Math.sqrt(dot(x, xOff, x, xOff, n) / n + eps));
        int L = F.length();
        int upper = n - n % L;
        int i = 0;
        for (; i < upper; i += L) {
            FloatVector.fromArray(F, x, xOff + i).mul(scale).mul(FloatVector.fromArray(F, weight, i)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) out[outOff + i] = x[xOff + i] * scale * weight[i];
    }

    public static void rmsNormReference(float[] out, int outOff, float[] x, int xOff, float[] weight, int n, float eps) {
        double ss = 0;
        for (int i = 0; i < n; i++) ss += (double) x[xOff + i] * x[xOff + i];
        float scale = (float) (1.0 / Math.sqrt(ss / n + eps));
        for (int i = 0; i < n; i++) out[outOff + i] = x[xOff + i] * scale * weight[i];
    }

    /** In-place softmax of {@code x[off .. off+n)}, subtracting the maximum first so large logits do not overflow. */
    public static void softmax(float[] x, int off, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, x[off + i]);
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            float e = (float) Math.exp(x[off + i] - max);
            x[off + i] = e;
            sum += e;
        }
        scale(x, off, n, 1f / sum);
    }

    public static void softmaxReference(float[] x, int off, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, x[off + i]);
        double sum = 0;
        for (int i = 0; i < n; i++) sum += Math.exp(x[off + i] - max);
        for (int i = 0; i < n; i++) x[off + i] = (float) (Math.exp(x[off + i] - max) / sum);
    }

    /** SwiGLU's gate: {@code gate[i] = silu(gate[i]) * up[i]} where {@code silu(g) = g / (1 + e^-g)}. */
    public static void siluMul(float[] gate, int gOff, float[] up, int uOff, int n) {
        for (int i = 0; i < n; i++) {
            float g = gate[gOff + i];
            gate[gOff + i] = g / (1f + (float) Math.exp(-g)) * up[uOff + i];
        }
    }

    /** Values from which {@link #siluMul(float[], float[], int, ComputePool)} splits over the pool: many rows, not one token's. */
    private static final int PARALLEL_SILU = 16_384;

    /**
     * {@link #siluMul(float[], int, float[], int, int)} over {@code gate[0 .. len)}, split over {@code pool}'s threads
     * when there are many values: its scalar {@code exp} per value made it a tenth of a prompt's time on one thread
     * while the others waited. The split is elementwise, so no value changes.
     */
    public static void siluMul(float[] gate, float[] up, int len, ComputePool pool) {
        if (len < PARALLEL_SILU || pool.threads() == 1) {
            siluMul(gate, 0, up, 0, len);
            return;
        }
        pool.run(pool.threads(), (ith, nth) -> {
            int from = (int) ((long) len * ith / nth), to = (int) ((long) len * (ith + 1) / nth);
            siluMul(gate, from, up, from, to - from);
        });
    }

    public static void siluMulReference(float[] gate, int gOff, float[] up, int uOff, int n) {
        for (int i = 0; i < n; i++) {
            double g = gate[gOff + i];
            gate[gOff + i] = (float) (g / (1 + Math.exp(-g)) * up[uOff + i]);
        }
    }

    /** {@code y[yOff+i] += x[xOff+i]} (the residual connection). */
    public static void add(float[] y, int yOff, float[] x, int xOff, int n) {
        int L = F.length();
        int upper = n - n % L;
        int i = 0;
        for (; i < upper; i += L) {
            FloatVector.fromArray(F, y, yOff + i).add(FloatVector.fromArray(F, x, xOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] += x[xOff + i];
    }

    public static void addReference(float[] y, int yOff, float[] x, int xOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] += x[xOff + i];
    }

    /** {@code x[off+i] *= s}. */
    public static void scale(float[] x, int off, int n, float s) {
        int L = F.length();
        int upper = n - n % L;
        int i = 0;
        for (; i < upper; i += L) FloatVector.fromArray(F, x, off + i).mul(s).intoArray(x, off + i);
        for (; i < n; i++) x[off + i] *= s;
    }

    public static void scaleReference(float[] x, int off, int n, float s) {
        for (int i = 0; i < n; i++) x[off + i] *= s;
    }
}
