package r1j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The vector pieces of attention over a compact KV cache (the loop itself lives in {@code r1j.model}): F16 rows
 * widened to floats, one head's scores against a tile of keys (four keys per load of the query), the maximum of a
 * score row, {@code exp(x - max)} in place with its sum — the online softmax's step — and a tile of values weighted
 * into a head's output (each output vector held in a register across the tile). Each has a scalar
 * {@code …Reference} beside it.
 *
 * <p>The exponential is Cephes' {@code expf} (range reduction by {@code ln 2} in two parts, a degree-5 polynomial
 * on {@code [-ln2/2, ln2/2]}, the power of two put into the exponent bits): within 2 float ulps of {@link Math#exp}
 * for arguments in {@code [-87, 0]}; lower arguments (weights below 1e-38) give about 1e-38 instead of 0, which a
 * softmax cannot tell apart.
 */
public final class AttentionKernels {

    private static final int L = Vectors.L;
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float EXP_MIN = -87.3f;

    private AttentionKernels() {}

    /** {@code dst[dstOff + i] = float(src[srcOff + i])} for IEEE half bits, {@code i < n}. */
    public static void halfsToFloats(short[] src, int srcOff, float[] dst, int dstOff, int n) {
        int upper = n - n % L, i = 0;
        for (; i < upper; i += L) {
            IntVector h = (IntVector) ShortVector.fromArray(Vectors.SHORT, src, srcOff + i).convertShape(VectorOperators.S2I, Vectors.INT, 0);
            // Sign to bit 31, exponent and mantissa to float position, then 2^112 rebiases the exponent: exact for
            // normal and subnormal halves (as Vectors.halfs).
            IntVector bits = h.and(0x8000).lanewise(VectorOperators.LSHL, 16).or(h.and(0x7FFF).lanewise(VectorOperators.LSHL, 13));
            bits.reinterpretAsFloats().mul(0x1p112f).intoArray(dst, dstOff + i);
        }
        for (; i < n; i++) dst[dstOff + i] = Float.float16ToFloat(src[srcOff + i]);
    }

    public static void halfsToFloatsReference(short[] src, int srcOff, float[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i++) dst[dstOff + i] = Float.float16ToFloat(src[srcOff + i]);
    }

    /**
     * Scores of one query head against a tile of keys: {@code out[outOff + t] = scale * (q . k_t)} for {@code t < n},
     * where key {@code t} is {@code k[t * hs .. (t + 1) * hs)}. Four keys share each load of {@code q}.
     */
    public static void scores(float[] k, int n, int hs, float[] q, int qOff, float scale, float[] out, int outOff) {
        int upper = hs - hs % L, t = 0;
        for (; t + 4 <= n; t += 4) {
            int k0 = t * hs, k1 = k0 + hs, k2 = k1 + hs, k3 = k2 + hs;
            FloatVector a0 = FloatVector.zero(Vectors.FLOAT), a1 = a0, a2 = a0, a3 = a0;
            int i = 0;
            for (; i < upper; i += L) {
                FloatVector qv = FloatVector.fromArray(Vectors.FLOAT, q, qOff + i);
                a0 = FloatVector.fromArray(Vectors.FLOAT, k, k0 + i).fma(qv, a0);
                a1 = FloatVector.fromArray(Vectors.FLOAT, k, k1 + i).fma(qv, a1);
                a2 = FloatVector.fromArray(Vectors.FLOAT, k, k2 + i).fma(qv, a2);
                a3 = FloatVector.fromArray(Vectors.FLOAT, k, k3 + i).fma(qv, a3);
            }
            float s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD);
            float s2 = a2.reduceLanes(VectorOperators.ADD), s3 = a3.reduceLanes(VectorOperators.ADD);
            for (; i < hs; i++) {
                float qi = q[qOff + i];
                s0 += k[k0 + i] * qi;
                s1 += k[k1 + i] * qi;
                s2 += k[k2 + i] * qi;
                s3 += k[k3 + i] * qi;
            }
            out[outOff + t] = s0 * scale;
            out[outOff + t + 1] = s1 * scale;
            out[outOff + t + 2] = s2 * scale;
            out[outOff + t + 3] = s3 * scale;
        }
        for (; t < n; t++) out[outOff + t] = VectorMath.dot(q, qOff, k, t * hs, hs) * scale;
    }

    public static void scoresReference(float[] k, int n, int hs, float[] q, int qOff, float scale, float[] out, int outOff) {
        for (int t = 0; t < n; t++) out[outOff + t] = VectorMath.dotReference(q, qOff, k, t * hs, hs) * scale;
    }

    /**
     * {@code acc[accOff + i] += sum_t p[pOff + t] * v[t * hs + i]} for {@code i < hs}, {@code t < n}: a tile of values
     * weighted into one head's running output, each output vector held in a register across the whole tile.
     */
    public static void weightedSum(float[] p, int pOff, float[] v, int n, int hs, float[] acc, int accOff) {
        int upper = hs - hs % L, i = 0;
        for (; i < upper; i += L) {
            FloatVector sum = FloatVector.fromArray(Vectors.FLOAT, acc, accOff + i);
            for (int t = 0; t < n; t++) {
                sum = FloatVector.fromArray(Vectors.FLOAT, v, t * hs + i).fma(FloatVector.broadcast(Vectors.FLOAT, p[pOff + t]), sum);
            }
            sum.intoArray(acc, accOff + i);
        }
        for (; i < hs; i++) {
            float sum = acc[accOff + i];
            for (int t = 0; t < n; t++) sum = Math.fma(p[pOff + t], v[t * hs + i], sum);
            acc[accOff + i] = sum;
        }
    }

    public static void weightedSumReference(float[] p, int pOff, float[] v, int n, int hs, float[] acc, int accOff) {
        for (int i = 0; i < hs; i++) {
            for (int t = 0; t < n; t++) acc[accOff + i] += p[pOff + t] * v[t * hs + i];
        }
    }

    /** The largest of {@code x[off .. off + n)}, {@code -inf} when {@code n == 0}. */
    public static float max(float[] x, int off, int n) {
        int upper = n - n % L, i = 0;
        float m = Float.NEGATIVE_INFINITY;
        if (upper > 0) {
            FloatVector acc = FloatVector.broadcast(Vectors.FLOAT, Float.NEGATIVE_INFINITY);
            for (; i < upper; i += L) acc = acc.max(FloatVector.fromArray(Vectors.FLOAT, x, off + i));
            m = acc.reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) m = Math.max(m, x[off + i]);
        return m;
    }

    public static float maxReference(float[] x, int off, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) m = Math.max(m, x[off + i]);
        return m;
    }

    /** {@code x[off + i] = exp(x[off + i] - max)} for {@code i < n}; returns their sum. */
    public static float expShifted(float[] x, int off, int n, float max) {
        int upper = n - n % L, i = 0;
        float sum = 0f;
        if (upper > 0) {
            FloatVector acc = FloatVector.zero(Vectors.FLOAT);
            for (; i < upper; i += L) {
                FloatVector e = exp(FloatVector.fromArray(Vectors.FLOAT, x, off + i).sub(max));
                e.intoArray(x, off + i);
                acc = acc.add(e);
            }
            sum = acc.reduceLanes(VectorOperators.ADD);
        }
        for (; i < n; i++) {
            float e = (float) Math.exp(x[off + i] - max);
            x[off + i] = e;
            sum += e;
        }
        return sum;
    }

    public static float expShiftedReference(float[] x, int off, int n, float max) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            x[off + i] = (float) Math.exp((double) x[off + i] - max);
            sum += x[off + i];
        }
        return (float) sum;
    }

    /** {@code e^x} lane by lane for {@code x <= 0} (see the class comment for its accuracy). */
    static FloatVector exp(FloatVector x) {
        x = x.max(EXP_MIN);
        FloatVector n = x.mul(LOG2E).lanewise(VectorOperators.ADD, 0.5f);
        // floor(x * log2e + 0.5): the int conversion truncates toward zero, so step down where it rounded up
        IntVector ni = (IntVector) n.convertShape(VectorOperators.F2I, Vectors.INT, 0);
        FloatVector nf = (FloatVector) ni.convertShape(VectorOperators.I2F, Vectors.FLOAT, 0);
        var over = nf.compare(VectorOperators.GT, n);
        nf = nf.sub(1f, over);
        ni = ni.sub(1, over.cast(Vectors.INT));
        FloatVector r = x.sub(nf.mul(LN2_HI)).sub(nf.mul(LN2_LO));
        FloatVector p = FloatVector.broadcast(Vectors.FLOAT, 1.9875691500e-4f)
                .fma(r, FloatVector.broadcast(Vectors.FLOAT, 1.3981999507e-3f))
                .fma(r, FloatVector.broadcast(Vectors.FLOAT, 8.3334519073e-3f))
                .fma(r, FloatVector.broadcast(Vectors.FLOAT, 4.1665795894e-2f))
                .fma(r, FloatVector.broadcast(Vectors.FLOAT, 1.6666665459e-1f))
                .fma(r, FloatVector.broadcast(Vectors.FLOAT, 5.0000001201e-1f));
        FloatVector e = p.mul(r.mul(r)).add(r).add(1f);
        FloatVector scale = ni.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return e.mul(scale);
    }
}
