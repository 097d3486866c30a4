package r1j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** RoPE against values computed by hand from the formulas in ggml's rope (theta_i = pos * base^(-2i/n)). */
class RopeTest {

    private static float[] rotate(Rope rope, float[] head, int pos) {
        float[] cos = new float[rope.dims() / 2], sin = new float[rope.dims() / 2];
        rope.angles(pos, cos, sin, 0);
        float[] x = head.clone();
        rope.rotate(x, 0, cos, sin, 0);
        return x;
    }

    @Test
    void rotate_normStyleTurnsAdjacentPairsByPositionTimesFrequency() {
        // dims 4, base 100: pair 0 turns by pos rad, pair 1 by pos / 10 rad.
        Rope rope = new Rope(4, false, 100f, null, RopeScaling.NONE);
        float[] x = rotate(rope, new float[] {1, 0, 0, 2}, 3);
        assertThat(x[0]).isCloseTo((float) Math.cos(3), within(1e-6f));
        assertThat(x[1]).isCloseTo((float) Math.sin(3), within(1e-6f));
        assertThat(x[2]).isCloseTo((float) (-2 * Math.sin(0.3)), within(1e-6f));
        assertThat(x[3]).isCloseTo((float) (2 * Math.cos(0.3)), within(1e-6f));
    }

    @Test
    void rotate_neoxStylePairsEachValueWithTheOneHalfAHeadAway() {
        Rope rope = new Rope(4, true, 100f, null, RopeScaling.NONE);
        float[] x = rotate(rope, new float[] {1, 0, 0, 2}, 3);
        // pairs (0, 2) at 3 rad and (1, 3) at 0.3 rad
        assertThat(x[0]).isCloseTo((float) Math.cos(3), within(1e-6f));
        assertThat(x[2]).isCloseTo((float) Math.sin(3), within(1e-6f));
        assertThat(x[1]).isCloseTo((float) (-2 * Math.sin(0.3)), within(1e-6f));
        assertThat(x[3]).isCloseTo((float) (2 * Math.cos(0.3)), within(1e-6f));
    }

    @Test
    void rotate_atPositionZeroIsTheIdentity() {
        Rope rope = new Rope(8, true, 1e6f, null, RopeScaling.NONE);
        float[] head = {1, 2, 3, 4, 5, 6, 7, 8};
        assertThat(rotate(rope, head, 0)).containsExactly(head);
    }

    @Test
    void freqFactorsAndLinearScalingDivideTheFrequency() {
        float[] head = {1, 0, 1, 0};
        Rope factors = new Rope(4, false, 100f, new float[] {2, 4}, RopeScaling.NONE);
        Rope linear = new Rope(4, false, 100f, null, new RopeScaling(RopeScaling.Type.LINEAR, 2, 4096, 1));
        float[] a = rotate(factors, head, 6);
        float[] b = rotate(linear, head, 6);
        assertThat(a[0]).isCloseTo((float) Math.cos(3), within(1e-6f));      // 6 * 1 / 2
        assertThat(a[2]).isCloseTo((float) Math.cos(0.15), within(1e-6f));   // 6 * 0.1 / 4
        assertThat(b[0]).isCloseTo((float) Math.cos(3), within(1e-6f));      // 6 * 1 / 2
        assertThat(b[2]).isCloseTo((float) Math.cos(0.3), within(1e-6f));    // 6 * 0.1 / 2
    }

    @Test
    void yarn_keepsHighFrequenciesInterpolatesLowOnesAndScalesMagnitude() {
        // dims 32, base 1e4, original context 4096, factor 40: correction dims are
        // floor(32 ln(4096 / (32 * 2pi)) / (2 ln 1e4)) = 5 and ceil(32 ln(4096 / (2pi)) / (2 ln 1e4)) = 12.
        Rope rope = new Rope(32, false, 1e4f, null, new RopeScaling(RopeScaling.Type.YARN, 40, 4096, 1));
        float[] cos = new float[16], sin = new float[16];
        rope.angles(10, cos, sin, 0);
        double mscale = 1 + 0.1 * Math.log(40);
        double f = Math.pow(1e4, -2.0 * 3 / 32);          // pair 3 < 5: original frequency
        assertThat(cos[3]).isCloseTo((float) (Math.cos(10 * f) * mscale), within(1e-5f));
        f = Math.pow(1e4, -2.0 * 14 / 32) / 40;            // pair 14 > 12: fully interpolated
        assertThat(sin[14]).isCloseTo((float) (Math.sin(10 * f) * mscale), within(1e-5f));
        double ramp = 1 - (8 - 5) / 7.0;                   // pair 8: blend
        f = Math.pow(1e4, -2.0 * 8 / 32) * (ramp + (1 - ramp) / 40);
        assertThat(sin[8]).isCloseTo((float) (Math.sin(10 * f) * mscale), within(1e-5f));
    }
}
