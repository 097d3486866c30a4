package r1j.tensor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector kernels of the sampler over a whole vocabulary, each giving exactly — bit for bit — what its scalar
 * {@code …Reference} gives, because a seeded sampler must pick the same tokens after any speed-up (the training
 * recipe samples with it and must stay byte-reproducible).
 *
 * <p>{@link #expShifted} is the costly one: {@code (float) Math.exp(x - shift)} for 150k logits took most of a
 * sampling step. It evaluates {@code e^x} in double lanes (fdlibm's range reduction by {@code ln 2} in two parts, a
 * degree-13 Taylor polynomial on {@code |r| <= ln2/2}: relative error below 3e-15, where {@link Math#exp} is within
 * 1 ulp = 1.1e-16), then certifies each lane: when every double within {@link #CERTIFIED} (relative) of the
 * result rounds to the same float, the exact value, and so {@code Math.exp}'s, rounds to that float too. The few
 * lanes that sit on a rounding boundary (about one in 10^6) and arguments outside [-87, 80] are recomputed with
 * {@code Math.exp}.
 */
public final class SamplerKernels {

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> FD = VectorSpecies.of(float.class, VectorShape.forBitSize(D.length() * 32));
    private static final VectorSpecies<Float> F = Vectors.FLOAT;

    /** Relative half-width of the interval a lane must round within: 30 times this kernel's error bound. */
    static final double CERTIFIED = 1e-13;
    private static final double LOG2E = 1.4426950408889634;
    private static final double LN2_HI = 6.93147180369123816490e-01; // fdlibm: low 21 bits zero, so k * LN2_HI is exact
    private static final double LN2_LO = 1.90821492927058770002e-10;
    private static final double ROUND = 0x1.8p52;                      // adding it rounds to an integer in the low bits
    private static final double MIN_ARG = -87, MAX_ARG = 80;           // results stay normal floats
    private static final double[] TAYLOR = new double[14];             // 1/i!

    static {
        double f = 1;
        for (int i = 0; i < TAYLOR.length; i++) {
            if (i > 0) f *= i;
            TAYLOR[i] = 1 / f;
        }
    }

    private SamplerKernels() {}

    /** {@code out[outOff + i] = (float) Math.exp(x[xOff + i] - shift)} (float subtraction), {@code i < n}, exactly. */
    public static void expShifted(float[] x, int xOff, float shift, float[] out, int outOff, int n) {
        int lanes = D.length(), upper = n - n % lanes, i = 0;
        for (; i < upper; i += lanes) {
            FloatVector xf = FloatVector.fromArray(FD, x, xOff + i).sub(shift);
            DoubleVector d = (DoubleVector) xf.convertShape(VectorOperators.F2D, D, 0);
            VectorMask<Double> inRange = d.compare(VectorOperators.GE, MIN_ARG).and(d.compare(VectorOperators.LE, MAX_ARG));
            DoubleVector e = exp(d.max(MIN_ARG).min(MAX_ARG)); // NaN lanes become MIN_ARG here and fail inRange
            FloatVector lo = (FloatVector) e.mul(1 - CERTIFIED).convertShape(VectorOperators.D2F, FD, 0);
            FloatVector hi = (FloatVector) e.mul(1 + CERTIFIED).convertShape(VectorOperators.D2F, FD, 0);
            lo.intoArray(out, outOff + i);
            VectorMask<Float> ok = lo.compare(VectorOperators.EQ, hi).and(inRange.cast(FD));
            if (!ok.allTrue()) {
                for (int j = 0; j < lanes; j++) {
                    if (!ok.laneIsSet(j)) out[outOff + i + j] = (float) Math.exp(x[xOff + i + j] - shift);
                }
            }
        }
        for (; i < n; i++) out[outOff + i] = (float) Math.exp(x[xOff + i] - shift);
    }

    public static void expShiftedReference(float[] x, int xOff, float shift, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) out[outOff + i] = (float) Math.exp(x[xOff + i] - shift);
    }

    /** {@code e^d} for {@code d} in [-87, 80], relative error below 3e-15. */
    static DoubleVector exp(DoubleVector d) {
        DoubleVector t = d.mul(LOG2E).add(ROUND);
        DoubleVector k = t.sub(ROUND);                        // rint(d / ln2)
        DoubleVector r = k.mul(-LN2_HI).add(d);               // exact: k * LN2_HI has spare low bits
        r = k.neg().fma(DoubleVector.broadcast(D, LN2_LO), r); // d - k ln2, |r| <= ln2/2
        DoubleVector p = DoubleVector.broadcast(D, TAYLOR[13]);
        for (int i = 12; i >= 0; i--) p = p.fma(r, DoubleVector.broadcast(D, TAYLOR[i]));
        // t's low mantissa bits hold k; shifted into the exponent field with the bias they make 2^k
        LongVector bits = t.reinterpretAsLongs().add(1023).lanewise(VectorOperators.LSHL, 52);
        return p.mul(bits.reinterpretAsDoubles());
    }

    /** The largest of {@code x[off .. off + n)} ({@code n > 0}), as {@code Math.max} folds them (NaN wins). */
    public static float max(float[] x, int off, int n) {
        int L = F.length(), upper = n - n % L, i = 0;
        float m = Float.NEGATIVE_INFINITY;
        if (upper > 0) {
            FloatVector acc = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
            for (; i < upper; i += L) acc = acc.max(FloatVector.fromArray(F, x, off + i));
            m = acc.reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) m = Math.max(m, x[off + i]);
        return m;
    }
}
