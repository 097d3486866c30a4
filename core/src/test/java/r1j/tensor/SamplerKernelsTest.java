package r1j.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link SamplerKernels} give exactly their scalar references' bits (the sampler's reproducibility rests on it). */
class SamplerKernelsTest {

    /** What the double-lane exponential may be off by, relative; the certification margin is 30 times wider. */
    static final double EXP_ERROR = 3e-15;

    @Test
    void exp_isWithinItsErrorBoundOfMathExpAcrossItsRange() {
        SplittableRandom r = new SplittableRandom(1);
        int lanes = jdk.incubator.vector.DoubleVector.SPECIES_PREFERRED.length();
        double[] d = new double[lanes];
        for (int n = 0; n < 200_000; n++) {
            for (int j = 0; j < lanes; j++) d[j] = -87 + 167 * r.nextDouble();
            var e = SamplerKernels.exp(jdk.incubator.vector.DoubleVector.fromArray(jdk.incubator.vector.DoubleVector.SPECIES_PREFERRED, d, 0));
            for (int j = 0; j < lanes; j++) {
                double exact = Math.exp(d[j]);
                assertThat(Math.abs(e.lane(j) - exact) / exact).as("exp(%s)", d[j]).isLessThan(EXP_ERROR);
            }
        }
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
                SamplerKernels.expShifted(x, 0, shift, fast, 1, n);
                SamplerKernels.expShiftedReference(x, 0, shift, ref, 1, n);
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
        SamplerKernels.expShifted(x, 0, 0f, fast, 0, n);
        SamplerKernels.expShiftedReference(x, 0, 0f, ref, 0, n);
        for (int i = 0; i < n; i++) assertThat(fast[i]).as("exp(%s)", x[i]).isEqualTo(ref[i]);
    }

    @Test
    void max_isTheLargestValueAtEveryTailLength() {
        SplittableRandom r = new SplittableRandom(3);
        for (int n = 1; n < 70; n++) {
            float[] x = new float[n + 1];
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
            float expected = Float.NEGATIVE_INFINITY;
            for (int i = 1; i <= n; i++) expected = Math.max(expected, x[i]);
            assertThat(SamplerKernels.max(x, 1, n)).isEqualTo(expected);
        }
    }
}
