package r1j.tensor;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The vectorised float ops against their scalar references and against values worked out by hand. */
class VectorMathTest {

    private static final int[] SIZES = {1, 3, 8, 15, 16, 17, 64, 100, 1027};

    @Test
    void dot_matchesReferenceAtTailSizesAndOffsets() {
        for (int n : SIZES) {
            float[] a = RandomBlocks.gaussian(n + 3, n);
            float[] b = RandomBlocks.gaussian(n + 5, n + 1);
            double sumAbs = 0;
            for (int i = 0; i < n; i++) sumAbs += Math.abs(a[3 + i] * b[5 + i]);
            assertThat((double) VectorMath.dot(a, 3, b, 5, n))
                    .isCloseTo(VectorMath.dotReference(a, 3, b, 5, n), within(RandomBlocks.sumTolerance(n, sumAbs)));
        }
        assertThat(VectorMath.dot(new float[] {1, 2, 3}, 0, new float[] {4, 5, 6}, 0, 3)).isEqualTo(32f);
    }

    @Test
    void dot4_equalsFourSeparateDots() {
        for (int n : SIZES) {
            float[] w = RandomBlocks.gaussian(4 * n, n);
            float[] x = RandomBlocks.gaussian(n + 2, n + 5);
            float[] out = new float[6];
            VectorMath.dot4(w, n, x, 2, out, 1);
            for (int k = 0; k < 4; k++) {
                double sumAbs = 0;
                for (int i = 0; i < n; i++) sumAbs += Math.abs(w[k * n + i] * x[2 + i]);
                assertThat((double) out[1 + k]).as("n=%d row %d", n, k)
                        .isCloseTo(VectorMath.dotReference(w, k * n, x, 2, n), within(RandomBlocks.sumTolerance(n, sumAbs)));
            }
            assertThat(out[0]).isZero();
            assertThat(out[5]).isZero();
        }
    }

    @Test
    void axpyAddScale_matchReference() {
        for (int n : SIZES) {
            float[] x = RandomBlocks.gaussian(n + 2, n);
            float[] y1 = RandomBlocks.gaussian(n + 1, n + 7);
            float[] y2 = y1.clone();
            VectorMath.axpy(0.75f, x, 2, y1, 1, n);
            VectorMath.axpyReference(0.75f, x, 2, y2, 1, n);
            assertThat(y1).containsExactly(y2, within(1e-6f));
            VectorMath.add(y1, 1, x, 2, n);
            VectorMath.addReference(y2, 1, x, 2, n);
            assertThat(y1).containsExactly(y2, within(1e-6f));
            VectorMath.scale(y1, 1, n, -1.5f);
            VectorMath.scaleReference(y2, 1, n, -1.5f);
            assertThat(y1).containsExactly(y2, within(1e-6f));
        }
    }

    @Test
    void rmsNorm_dividesByRootMeanSquareThenWeights() {
        float[] x = {3, 4, 0, 0};
        float[] w = {1, 2, 3, 4};
        float[] out = new float[4];
        VectorMath.rmsNorm(out, 0, x, 0, w, 4, 0f); // rms = sqrt(25/4) = 2.5
        assertThat(out).containsExactly(new float[] {1.2f, 3.2f, 0f, 0f}, within(1e-6f));
        for (int n : SIZES) {
            float[] xs = RandomBlocks.gaussian(n + 1, n);
            float[] ws = RandomBlocks.gaussian(n, n + 3);
            float[] o1 = new float[n + 2], o2 = new float[n + 2];
            VectorMath.rmsNorm(o1, 2, xs, 1, ws, n, 1e-6f);
            VectorMath.rmsNormReference(o2, 2, xs, 1, ws, n, 1e-6f);
            for (int i = 0; i < n + 2; i++) assertThat(o1[i]).isCloseTo(o2[i], within(1e-5f * (1 + Math.abs(o2[i]))));
        }
    }

    @Test
    void softmax_normalisesAndSurvivesLargeLogits() {
        float[] x = {9, 0, (float) Math.log(3), 1000};
        VectorMath.softmax(x, 1, 2); // e^0 : e^ln3 = 1 : 3
        assertThat(x).containsExactly(new float[] {9, 0.25f, 0.75f, 1000}, within(1e-6f));
        float[] big = {1000, 1000};
        VectorMath.softmax(big, 0, 2);
        assertThat(big).containsExactly(0.5f, 0.5f);
        for (int n : SIZES) {
            float[] a = RandomBlocks.gaussian(n, n);
            float[] b = a.clone();
            VectorMath.softmax(a, 0, n);
            VectorMath.softmaxReference(b, 0, n);
            assertThat(a).containsExactly(b, within(1e-6f));
        }
    }

    @Test
    void siluMul_isGateTimesSigmoidGateTimesUp() {
        float[] gate = {0, 2, -1};
        float[] up = {5, 3, 2};
        VectorMath.siluMul(gate, 0, up, 0, 3);
        assertThat(gate).containsExactly(new float[] {0f, (float) (2 / (1 + Math.exp(-2)) * 3), (float) (-1 / (1 + Math.exp(1)) * 2)},
                within(1e-6f));
        for (int n : SIZES) {
            float[] g1 = RandomBlocks.gaussian(n, n), g2 = g1.clone();
            float[] u = RandomBlocks.gaussian(n, n + 9);
            VectorMath.siluMul(g1, 0, u, 0, n);
            VectorMath.siluMulReference(g2, 0, u, 0, n);
            assertThat(g1).containsExactly(g2, within(1e-5f));
        }
    }

    @Test
    void siluMul_splitOverAPool_changesNoValue() {
        int len = 40_001; // above the split threshold, not a multiple of the thread count
        float[] gate = RandomBlocks.gaussian(len, 3), up = RandomBlocks.gaussian(len, 4);
        float[] plain = gate.clone();
        VectorMath.siluMul(plain, 0, up, 0, len);
        try (ComputePool pool = new ComputePool(3)) {
            VectorMath.siluMul(gate, up, len, pool);
        }
        assertThat(gate).isEqualTo(plain);
    }
}
