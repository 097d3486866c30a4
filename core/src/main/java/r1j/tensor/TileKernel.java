package r1j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The matrix-matrix micro-kernel of prompt processing and batched decode: 4 dequantized weight rows times 4
 * activation rows, 16 dot products in 16 vector accumulators. Each step loads 4 weight vectors and 4 activation
 * vectors for 16 FMAs (the row-at-a-time {@link VectorMath#dot4} loads 5 for 4), so the kernel is bound by the
 * FMA units instead of the load ports, and every decoded weight block serves 4 tokens from registers.
 */
final class TileKernel {

    private static final VectorSpecies<Float> F = Vectors.FLOAT;

    private TileKernel() {}

    /**
     * {@code out[outOff + i*outStride + k] = sum_c w[k*n + c] * x[xOff + i*n + c]} for {@code k, i < 4}: {@code w}
     * holds 4 rows of length {@code n} back to back, {@code x} 4 activation rows of length {@code n} from
     * {@code xOff}, and output row {@code i} starts {@code outStride} floats after row {@code i-1}.
     */
    static void tile4x4(float[] w, int n, float[] x, int xOff, float[] out, int outOff, int outStride) {
        int L = F.length();
        int upper = n - n % L;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        int x1 = xOff + n, x2 = xOff + 2 * n, x3 = xOff + 3 * n;
        int c = 0;
        for (; c < upper; c += L) {
            FloatVector w0 = FloatVector.fromArray(F, w, c), w1 = FloatVector.fromArray(F, w, n + c);
            FloatVector w2 = FloatVector.fromArray(F, w, 2 * n + c), w3 = FloatVector.fromArray(F, w, 3 * n + c);
            FloatVector v = FloatVector.fromArray(F, x, xOff + c);
            a00 = w0.fma(v, a00); a01 = w1.fma(v, a01); a02 = w2.fma(v, a02); a03 = w3.fma(v, a03);
            v = FloatVector.fromArray(F, x, x1 + c);
            a10 = w0.fma(v, a10); a11 = w1.fma(v, a11); a12 = w2.fma(v, a12); a13 = w3.fma(v, a13);
            v = FloatVector.fromArray(F, x, x2 + c);
            a20 = w0.fma(v, a20); a21 = w1.fma(v, a21); a22 = w2.fma(v, a22); a23 = w3.fma(v, a23);
            v = FloatVector.fromArray(F, x, x3 + c);
            a30 = w0.fma(v, a30); a31 = w1.fma(v, a31); a32 = w2.fma(v, a32); a33 = w3.fma(v, a33);
        }
        store(out, outOff, a00, a01, a02, a03);
        store(out, outOff + outStride, a10, a11, a12, a13);
        store(out, outOff + 2 * outStride, a20, a21, a22, a23);
        store(out, outOff + 3 * outStride, a30, a31, a32, a33);
        for (; c < n; c++) {
            for (int i = 0; i < 4; i++) {
                float xi = x[xOff + i * n + c];
                for (int k = 0; k < 4; k++) out[outOff + i * outStride + k] += w[k * n + c] * xi;
            }
        }
    }

    private static void store(float[] out, int off, FloatVector s0, FloatVector s1, FloatVector s2, FloatVector s3) {
        out[off] = s0.reduceLanes(VectorOperators.ADD);
        out[off + 1] = s1.reduceLanes(VectorOperators.ADD);
        out[off + 2] = s2.reduceLanes(VectorOperators.ADD);
        out[off + 3] = s3.reduceLanes(VectorOperators.ADD);
    }

    /** The plain loop {@link #tile4x4} must match up to float summation order. */
    static void tile4x4Reference(float[] w, int n, float[] x, int xOff, float[] out, int outOff, int outStride) {
        for (int i = 0; i < 4; i++) {
            for (int k = 0; k < 4; k++) {
                float s = 0f;
                for (int c = 0; c < n; c++) s += w[k * n + c] * x[xOff + i * n + c];
                out[outOff + i * outStride + k] = s;
            }
        }
    }
}
