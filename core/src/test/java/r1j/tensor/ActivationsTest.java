package r1j.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The 8-bit activation rounding of the repacked kernels: the vector version equals the plain loop exactly, and the
 * plain loop is ggml's {@code quantize_row_q8_0} (scale {@code max|x|/127}, C's {@code roundf}: halves away from 0).
 */
class ActivationsTest {

    @Test
    void quantize_vectorEqualsPlainLoop_onRandomRowsZerosAndTies() {
        int cols = 32 * 13;
        float[] x = RandomBlocks.gaussian(3 * cols, 11);
        Arrays.fill(x, cols, cols + 32, 0f); // an all-zero run: scale 0, values 0
        for (int i = 0; i < 32; i++) x[2 * cols + i] = (i - 16) * 0.5f; // max 8, so x/d hits exact halves
        short[] fast = new short[3 * cols], plain = new short[3 * cols];
        float[] dxFast = new float[3 * cols / 32], dxPlain = new float[3 * cols / 32];
        float[] sumFast = new float[3 * cols / 32], sumPlain = new float[3 * cols / 32];
        for (int i = 0; i < 3; i++) {
            Activations.quantize(x, i * cols, cols, fast, dxFast, sumFast);
            Activations.quantizeReference(x, i * cols, cols, plain, dxPlain, sumPlain);
        }
        assertThat(fast).isEqualTo(plain);
        assertThat(dxFast).isEqualTo(dxPlain);
        assertThat(sumFast).isEqualTo(sumPlain);
        assertThat(Arrays.copyOfRange(plain, cols, cols + 32)).containsOnly((short) 0);
    }

    @Test
    void quantizeReference_isGgmlsQ8_0Rounding() {
        float[] x = new float[32];
        x[0] = 127f;          // the max: scale 1, so q = round(x)
        x[1] = 2.5f;          // roundf(2.5) = 3 (Java's Math.round would give 3 too)
        x[2] = -2.5f;         // roundf(-2.5) = -3 (Math.round gives -2)
        x[3] = 0.49f;
        x[4] = -127f;
        short[] q = new short[32];
        float[] dx = new float[1], sum = new float[1];
        Activations.quantizeReference(x, 0, 32, q, dx, sum);
        assertThat(dx[0]).isEqualTo(1f);
        assertThat(Arrays.copyOf(q, 5)).containsExactly((short) 127, (short) 3, (short) -3, (short) 0, (short) -127);
        assertThat(sum[0]).isEqualTo(0f);
    }

    @Test
    void dequantize_isScaleTimesValue_forTheRunsAsked() {
        int cols = 32 * 7;
        float[] x = RandomBlocks.gaussian(cols, 5);
        short[] q = new short[cols];
        float[] dx = new float[cols / 32], sum = new float[cols / 32];
        Activations.quantizeReference(x, 0, cols, q, dx, sum);
        float[] out = new float[cols];
        Arrays.fill(out, -1f);
        Activations.dequantize(q, dx, 64, 160, out); // runs 2 .. 4 only
        for (int c = 0; c < cols; c++) {
            float expected = c >= 64 && c < 160 ? dx[c / 32] * q[c] : -1f;
            assertThat(out[c]).as("value %d", c).isEqualTo(expected);
        }
    }
}
