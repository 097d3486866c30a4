package r1j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The vector pieces of attention over a compact KV cache (the loop itself lives in {@code r1j.model}): F16 rows
 * widened to floats, the scores of a group of heads against a tile of keys stored transposed (positions in lanes),
 * the maximum of a score row, {@code exp(x - max)} in place with its sum — the online softmax's step — and a tile of
 * values weighted into the heads' outputs (each output vector held in a register across the tile). Each has a
 * scalar {@code …Reference} beside it.
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
     * Scores of {@code heads} query heads against a tile of keys stored transposed: {@code out[outOff + h * tile + t]
     * = scale * sum_d q[qOff + h * hs + d] * kT[d * tile + t]} for {@code h < heads}, {@code t < tile}, where
     * {@code tile} is a multiple of twice the vector length (32 is, at every width). Positions sit in lanes, so each
     * multiply-add serves a vector of positions and no sum crosses lanes; four (then two) heads share every key load.
     */
    public static void scoresTransposed(float[] kT, int tile, int hs, float[] q, int qOff, int heads, float scale, float[] out, int outOff) {
        int h = 0;
        for (; h + 4 <= heads; h += 4) {
            int q0 = qOff + h * hs, q1 = q0 + hs, q2 = q1 + hs, q3 = q2 + hs, o = outOff + h * tile;
            for (int t = 0; t < tile; t += 2 * L) {
                FloatVector a00 = FloatVector.zero(Vectors.FLOAT), a01 = a00, a10 = a00, a11 = a00;
                FloatVector a20 = a00, a21 = a00, a30 = a00, a31 = a00;
                for (int d = 0; d < hs; d++) {
                    FloatVector k0 = FloatVector.fromArray(Vectors.FLOAT, kT, d * tile + t);
                    FloatVector k1 = FloatVector.fromArray(Vectors.FLOAT, kT, d * tile + t + L);
                    FloatVector b = FloatVector.broadcast(Vectors.FLOAT, q[q0 + d]);
                    a00 = k0.fma(b, a00); a01 = k1.fma(b, a01);
                    b = FloatVector.broadcast(Vectors.FLOAT, q[q1 + d]);
                    a10 = k0.fma(b, a10); a11 = k1.fma(b, a11);
                    b = FloatVector.broadcast(Vectors.FLOAT, q[q2 + d]);
                    a20 = k0.fma(b, a20); a21 = k1.fma(b, a21);
                    b = FloatVector.broadcast(Vectors.FLOAT, q[q3 + d]);
                    a30 = k0.fma(b, a30); a31 = k1.fma(b, a31);
                }
                a00.mul(scale).intoArray(out, o + t); a01.mul(scale).intoArray(out, o + t + L);
                a10.mul(scale).intoArray(out, o + tile + t); a11.mul(scale).intoArray(out, o + tile + t + L);
                a20.mul(scale).intoArray(out, o + 2 * tile + t); a21.mul(scale).intoArray(out, o + 2 * tile + t + L);
                a30.mul(scale).intoArray(out, o + 3 * tile + t); a31.mul(scale).intoArray(out, o + 3 * tile + t + L);
            }
        }
        for (; h + 2 <= heads; h += 2) {
            int q0 = qOff + h * hs, q1 = q0 + hs, o = outOff + h * tile;
            for (int t = 0; t < tile; t += 2 * L) {
                FloatVector a00 = FloatVector.zero(Vectors.FLOAT), a01 = a00, a10 = a00, a11 = a00;
                for (int d = 0; d < hs; d++) {
                    FloatVector k0 = FloatVector.fromArray(Vectors.FLOAT, kT, d * tile + t);
                    FloatVector k1 = FloatVector.fromArray(Vectors.FLOAT, kT, d * tile + t + L);
                    FloatVector b = FloatVector.broadcast(Vectors.FLOAT, q[q0 + d]);
                    a00 = k0.fma(b, a00); a01 = k1.fma(b, a01);
                    b = FloatVector.broadcast(Vectors.FLOAT, q[q1 + d]);
                    a10 = k0.fma(b, a10); a11 = k1.fma(b, a11);
                }
                a00.mul(scale).intoArray(out, o + t); a01.mul(scale).intoArray(out, o + t + L);
                a10.mul(scale).intoArray(out, o + tile + t); a11.mul(scale).intoArray(out, o + tile + t + L);
            }
        }
        for (; h < heads; h++) {
            int q0 = qOff + h * hs, o = outOff + h * tile;
            for (int t = 0; t < tile; t += 2 * L) {
                FloatVector a0 = FloatVector.zero(Vectors.FLOAT), a1 = a0;
                for (int d = 0; d < hs; d++) {
                    FloatVector b = FloatVector.broadcast(Vectors.FLOAT, q[q0 + d]);
                    a0 = FloatVector.fromArray(Vectors.FLOAT, kT, d * tile + t).fma(b, a0);
                    a1 = FloatVector.fromArray(Vectors.FLOAT, kT, d * tile + t + L).fma(b, a1);
                }
                a0.mul(scale).intoArray(out, o + t);
                a1.mul(scale).intoArray(out, o + t + L);
            }
        }
    }

    public static void scoresTransposedReference(float[] kT, int tile, int hs, float[] q, int qOff, int heads, float scale, float[] out, int outOff) {
        for (int h = 0; h < heads; h++) {
            for (int t = 0; t < tile; t++) {
                float sum = 0f;
                for (int d = 0; d < hs; d++) sum += q[qOff + h * hs + d] * kT[d * tile + t];
                out[outOff + h * tile + t] = sum * scale;
            }
        }
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
        scalarColumns(p, pOff, 0, 1, v, n, hs, acc, accOff, i);
    }

    public static void weightedSumReference(float[] p, int pOff, float[] v, int n, int hs, float[] acc, int accOff) {
        for (int i = 0; i < hs; i++) {
            for (int t = 0; t < n; t++) acc[accOff + i] += p[pOff + t] * v[t * hs + i];
        }
    }

    /**
     * {@link #weightedSum} for {@code heads} heads at once: head {@code h}'s weights are {@code p[pOff + h * pStride
     * ..]} and its output {@code acc[accOff + h * hs ..]}. Four (then two) heads share every value load, and their
     * sums are independent chains of multiply-adds.
     */
    public static void weightedSumHeads(float[] p, int pOff, int pStride, int heads, float[] v, int n, int hs, float[] acc, int accOff) {
        int upper = hs - hs % L, h = 0;
        for (; h + 4 <= heads; h += 4) {
            int p0 = pOff + h * pStride, p1 = p0 + pStride, p2 = p1 + pStride, p3 = p2 + pStride;
            int c0 = accOff + h * hs, c1 = c0 + hs, c2 = c1 + hs, c3 = c2 + hs;
            for (int i = 0; i < upper; i += L) {
                FloatVector s0 = FloatVector.fromArray(Vectors.FLOAT, acc, c0 + i), s1 = FloatVector.fromArray(Vectors.FLOAT, acc, c1 + i);
                FloatVector s2 = FloatVector.fromArray(Vectors.FLOAT, acc, c2 + i), s3 = FloatVector.fromArray(Vectors.FLOAT, acc, c3 + i);
                for (int t = 0; t < n; t++) {
                    FloatVector vt = FloatVector.fromArray(Vectors.FLOAT, v, t * hs + i);
                    s0 = vt.fma(FloatVector.broadcast(Vectors.FLOAT, p[p0 + t]), s0);
                    s1 = vt.fma(FloatVector.broadcast(Vectors.FLOAT, p[p1 + t]), s1);
                    s2 = vt.fma(FloatVector.broadcast(Vectors.FLOAT, p[p2 + t]), s2);
                    s3 = vt.fma(FloatVector.broadcast(Vectors.FLOAT, p[p3 + t]), s3);
                }
                s0.intoArray(acc, c0 + i);
                s1.intoArray(acc, c1 + i);
                s2.intoArray(acc, c2 + i);
                s3.intoArray(acc, c3 + i);
            }
            scalarColumns(p, p0, pStride, 4, v, n, hs, acc, c0, upper);
        }
        for (; h + 2 <= heads; h += 2) {
            int p0 = pOff + h * pStride, p1 = p0 + pStride, c0 = accOff + h * hs, c1 = c0 + hs;
            for (int i = 0; i < upper; i += L) {
                FloatVector s0 = FloatVector.fromArray(Vectors.FLOAT, acc, c0 + i), s1 = FloatVector.fromArray(Vectors.FLOAT, acc, c1 + i);
                for (int t = 0; t < n; t++) {
                    FloatVector vt = FloatVector.fromArray(Vectors.FLOAT, v, t * hs + i);
                    s0 = vt.fma(FloatVector.broadcast(Vectors.FLOAT, p[p0 + t]), s0);
                    s1 = vt.fma(FloatVector.broadcast(Vectors.FLOAT, p[p1 + t]), s1);
                }
                s0.intoArray(acc, c0 + i);
                s1.intoArray(acc, c1 + i);
            }
            scalarColumns(p, p0, pStride, 2, v, n, hs, acc, c0, upper);
        }
        for (; h < heads; h++) weightedSum(p, pOff + h * pStride, v, n, hs, acc, accOff + h * hs);
    }

    /** Columns {@code from .. hs-1} (past the last whole vector) of the weighted sums, for {@code heads} heads. */
    private static void scalarColumns(float[] p, int p0, int pStride, int heads, float[] v, int n, int hs, float[] acc, int c0, int from) {
        for (int i = from; i < hs; i++) {
            for (int k = 0; k < heads; k++) {
                float sum = acc[c0 + k * hs + i];
                for (int t = 0; t < n; t++) sum = Math.fma(p[p0 + k * pStride + t], v[t * hs + i], sum);
                acc[c0 + k * hs + i] = sum;
            }
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
