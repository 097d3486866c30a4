package r1j.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link ExactExp} gives exactly {@code (float) Math.exp}'s bits (the sampler's reproducibility rests on it). */
class ExactExpTest {

    /** What the table-and-polynomial exponential may be off by, relative; the certification margin is 30 times wider. */
    static final double EXP_ERROR = 3e-15;

    @Test
    void exp_isWithinItsErrorBoundOfMathExpAcrossItsRange() {
        SplittableRandom r = new SplittableRandom(1);
        for (int n = 0; n < 1_000_000; n++) {
            double d = -87 + 167 * r.nextDouble();
            double exact = Math.exp(d);
            assertThat(Math.abs(ExactExp.exp(d) - exact) / exact).as("exp(%s)", d).isLessThan(EXP_ERROR);
        }
        assertThat(ExactExp.exp(-87)).isEqualTo(Math.exp(-87));
        assertThat(Math.abs(ExactExp.exp(80) / Math.exp(80) - 1)).isLessThan(EXP_ERROR);
    }

    @Test
    void expShifted_givesMathExpsFloatBitsForLogitsOfEveryScale() {
        SplittableRandom r = new SplittableRandom(2);
        for (double sigma : new double[] {0.01, 1, 3, 10, 40}) {
            for (int n : new int[] {1, 3, 4, 7, 8, 15, 16, 17, 33, 1000, 151_936}) {
                float[] x = new float[n];
                for (int i = 0; i < n; i++) x[i] = (float) (sigma * r.nextGaussian());
                if (n > 20) {
                    x[5] = Float.NEGATIVE_INFINITY; // a masked token
                    x[6] = -1e30f;                  // far below the rest: underflows to 0 or a subnormal
                    x[7] = Float.NaN;
                    x[8] = 200f;                    // overflow relative to a low shift
                }
                float shift = n > 20 ? 10f : x[0];
                float[] fast = new float[n + 2], ref = new float[n + 2];
                ExactExp.expShifted(x, 0, shift, fast, 1, n);
                ExactExp.expShiftedReference(x, 0, shift, ref, 1, n);
                for (int i = 0; i < n + 2; i++) {
                    assertThat(Float.floatToRawIntBits(fast[i])).as("sigma %s n %d i %d x %s", sigma, n, i, i > 0 && i <= n ? x[i - 1] : 0)
                            .isEqualTo(Float.floatToRawIntBits(ref[i]));
                }
            }
        }
    }

    @Test
    void expShifted_isExactOnArgumentsNextToFloatRoundingBoundaries() {
        // dense sweep of consecutive floats: every rounding case the certification must catch shows up
        int n = 1 << 20;
        float[] x = new float[n], fast = new float[n], ref = new float[n];
        float start = -20f;
        for (int i = 0; i < n; i++) x[i] = start = Math.nextUp(start);
        ExactExp.expShifted(x, 0, 0f, fast, 0, n);
        ExactExp.expShiftedReference(x, 0, 0f, ref, 0, n);
        for (int i = 0; i < n; i++) assertThat(fast[i]).as("exp(%s)", x[i]).isEqualTo(ref[i]);
    }
}
