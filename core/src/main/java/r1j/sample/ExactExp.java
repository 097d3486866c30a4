package r1j.sample;

/**
 * {@code (float) Math.exp(x - shift)} over a whole vocabulary, faster and bit for bit the same: a seeded sampler must
 * pick the same tokens after any speed-up, because the training recipe samples with it and must stay
 * byte-reproducible. These exponentials were most of an R1 sampling step (150k calls of the {@code Math.exp} stub,
 * about 6 ns each).
 *
 * <p>{@code e^d = e^(k/64) * e^r} with {@code k = rint(64 d)}, {@code |r| <= 1/128}: {@code e^(k/64)} from a table
 * filled by {@code Math.exp}, {@code e^r} by a degree-6 Taylor polynomial (truncation 4e-19); relative error below
 * 3e-15 in all, where {@code Math.exp} is within 1 ulp = 1.1e-16. Each result is then certified: when every double
 * within {@link #CERTIFIED} (relative) of it rounds to the same float, the exact value, and so {@code Math.exp}'s,
 * rounds to that float too. The few results on a float rounding boundary (about one in 10^6) and arguments outside
 * [-87, 80] are recomputed with {@code Math.exp}.
 *
 * <p>Plain Java on purpose: a Vector API version was faster once compiled, but vector code runs hundreds of times
 * slower until the JIT has compiled it — seconds for the first tokens of a sampler that runs once per token.
 */
final class ExactExp {

    /** Relative half-width of the interval a result must round within: 30 times this method's error bound. */
    static final double CERTIFIED = 1e-13;
    private static final int STEPS = 64;                    // table entries per unit of the argument
    private static final int MIN_ARG = -87, MAX_ARG = 80;   // results stay normal floats
    private static final double[] TABLE = new double[(MAX_ARG - MIN_ARG) * STEPS + 1]; // e^(k/64), k from MIN_ARG*64

    static {
        for (int i = 0; i < TABLE.length; i++) TABLE[i] = Math.exp((i + MIN_ARG * STEPS) / (double) STEPS);
    }

    private ExactExp() {}

    /** {@code out[outOff + i] = (float) Math.exp(x[xOff + i] - shift)} (float subtraction), {@code i < n}, exactly. */
    static void expShifted(float[] x, int xOff, float shift, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            float arg = x[xOff + i] - shift;
            float f;
            if (arg >= MIN_ARG && arg <= MAX_ARG) {
                double e = exp(arg);
                f = (float) (e * (1 - CERTIFIED));
                if (f != (float) (e * (1 + CERTIFIED))) f = (float) Math.exp(arg); // on a rounding boundary
            } else {
                f = (float) Math.exp(arg); // NaN, infinities, underflow and overflow as Math.exp has them
            }
            out[outOff + i] = f;
        }
    }

    static void expShiftedReference(float[] x, int xOff, float shift, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) out[outOff + i] = (float) Math.exp(x[xOff + i] - shift);
    }

    /** {@code e^d} for {@code d} in [-87, 80], relative error below 3e-15. */
    static double exp(double d) {
        double k = Math.rint(d * STEPS);
        double r = d - k / STEPS; // exact: k / 64 is a short binary fraction next to d
        double p = 1.0 / 720;
        p = Math.fma(p, r, 1.0 / 120);
        p = Math.fma(p, r, 1.0 / 24);
        p = Math.fma(p, r, 1.0 / 6);
        p = Math.fma(p, r, 0.5);
        p = Math.fma(p, r, 1);
        p = Math.fma(p, r, 1);
        return TABLE[(int) k - MIN_ARG * STEPS] * p;
    }
}
