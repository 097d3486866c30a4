package r1j.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link AttentionKernels} against their scalar references at aligned, unaligned and tail sizes. */
class AttentionKernelsTest {

    /** Float sums of up to 128 products of unit-scale values, in another order. */
    static final float SUM_ERROR = 2e-5f;
    /** The vector exp against Math.exp, relative: Cephes' expf is within 2 float ulps... */
    static final double EXP_ERROR = 2.4e-7;
    /** ...of e^(x - max) with x - max rounded to a float, which moves the result by up to |x - max| * 2^-24. */
    static final double ARGUMENT_ROUNDING = 0x1p-24;

    private final SplittableRandom r = new SplittableRandom(9);

    private float[] gaussian(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    @Test
    void halfsToFloats_widensEveryHalfExactly() {
        short[] all = new short[65536 + 3];
        for (int i = 0; i < all.length; i++) all[i] = (short) i;
        for (int off : new int[] {0, 1, 3}) {
            float[] fast = new float[all.length], ref = new float[all.length];
            int n = all.length - off;
            AttentionKernels.halfsToFloats(all, off, fast, 0, n);
            AttentionKernels.halfsToFloatsReference(all, off, ref, 0, n);
            for (int i = 0; i < n; i++) {
                int e = (all[off + i] >> 10) & 0x1F;
                if (e == 0x1F) continue; // Inf and NaN: never in a KV cache (the kernel maps them to large finite values)
                assertThat(fast[i]).as("half 0x%04x", all[off + i] & 0xFFFF).isEqualTo(ref[i]);
            }
        }
    }

    @Test
    void scoresTransposed_matchTheReferenceForEveryGroupAndHeadSize() {
        for (int hs : new int[] {4, 16, 24, 64, 128, 131}) {
            for (int heads : new int[] {1, 2, 4, 5, 6, 7, 8, 9}) {
                int tile = 32;
                float[] kT = gaussian(hs * tile), q = gaussian(heads * hs + 5);
                float[] fast = new float[heads * tile + 3], ref = new float[heads * tile + 3];
                AttentionKernels.scoresTransposed(kT, tile, hs, q, 5, heads, 0.25f, fast, 3);
                AttentionKernels.scoresTransposedReference(kT, tile, hs, q, 5, heads, 0.25f, ref, 3);
                for (int t = 0; t < fast.length; t++) {
                    assertThat(fast[t]).as("hs %d heads %d entry %d", hs, heads, t).isCloseTo(ref[t], within(SUM_ERROR));
                }
            }
        }
    }

    @Test
    void weightedSumHeads_addsEachHeadsWeightedTileToItsOutput() {
        for (int hs : new int[] {4, 16, 24, 128, 131}) {
            for (int heads : new int[] {1, 3, 4, 6, 9}) {
                for (int n : new int[] {1, 5, 32}) {
                    int stride = 32;
                    float[] p = gaussian(heads * stride + 3), v = gaussian(n * hs), fast = gaussian(heads * hs + 2), ref = fast.clone();
                    AttentionKernels.weightedSumHeads(p, 3, stride, heads, v, n, hs, fast, 2);
                    for (int h = 0; h < heads; h++) AttentionKernels.weightedSumReference(p, 3 + h * stride, v, n, hs, ref, 2 + h * hs);
                    for (int i = 0; i < fast.length; i++) {
                        assertThat(fast[i]).as("hs %d heads %d n %d i %d", hs, heads, n, i).isCloseTo(ref[i], within(SUM_ERROR));
                    }
                }
            }
        }
    }

    @Test
    void weightedSum_addsTheWeightedTileToTheRunningOutput() {
        for (int hs : new int[] {4, 16, 24, 128, 131}) {
            for (int n : new int[] {1, 5, 32}) {
                float[] p = gaussian(n + 3), v = gaussian(n * hs), fast = gaussian(hs + 2), ref = fast.clone();
                AttentionKernels.weightedSum(p, 3, v, n, hs, fast, 2);
                AttentionKernels.weightedSumReference(p, 3, v, n, hs, ref, 2);
                for (int i = 0; i < hs + 2; i++) assertThat(fast[i]).as("hs %d n %d i %d", hs, n, i).isCloseTo(ref[i], within(SUM_ERROR));
            }
        }
    }

    @Test
    void expShifted_isCloseToMathExpAndReturnsTheSum() {
        for (int n : new int[] {1, 7, 8, 16, 17, 100}) {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) x[i] = (float) (-90 + 95 * r.nextDouble());
            float max = AttentionKernels.max(x, 0, n);
            assertThat(max).isEqualTo(AttentionKernels.maxReference(x, 0, n));
            float[] fast = x.clone(), ref = x.clone();
            float sum = AttentionKernels.expShifted(fast, 0, n, max);
            float refSum = AttentionKernels.expShiftedReference(ref, 0, n, max);
            for (int i = 0; i < n; i++) {
                assertThat((double) fast[i]).as("exp(%s)", x[i] - max).isCloseTo(ref[i], within(Math.max(ref[i] * (EXP_ERROR + Math.abs(x[i] - max) * ARGUMENT_ROUNDING), 1.3e-38)));
            }
            assertThat((double) sum).isCloseTo(refSum, within(refSum * 1e-6));
        }
    }
}
