package r1j.tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.EnumMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Quantize → dequantize error on N(0,1) data per type, bounded by a named budget per type (ggml's reference
 * quantizers reach about these figures on Gaussian data: the step of a b-bit grid over a block's range, divided
 * by √12), and exact round trips of data the format can represent.
 */
class QuantizerTest {

    /** Largest RMSE allowed for quantize→dequantize of N(0,1) data. */
    static final Map<GgmlType, Double> MAX_RMSE = new EnumMap<>(Map.ofEntries(
            Map.entry(GgmlType.F32, 0.0),
            Map.entry(GgmlType.F16, 0.0003),
            Map.entry(GgmlType.BF16, 0.0025),
            Map.entry(GgmlType.Q8_0, 0.0062),
            Map.entry(GgmlType.Q6_K, 0.020),
            Map.entry(GgmlType.Q5_K, 0.040),
            Map.entry(GgmlType.Q5_1, 0.042),
            Map.entry(GgmlType.Q5_0, 0.048),
            Map.entry(GgmlType.Q4_K, 0.080),
            Map.entry(GgmlType.Q4_1, 0.088),
            Map.entry(GgmlType.Q4_0, 0.095),
            Map.entry(GgmlType.Q3_K, 0.17),
            Map.entry(GgmlType.Q2_K, 0.33)));

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1",
            "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"})
    void quantizeDequantize_gaussianRmseWithinBudget(GgmlType type) {
        int rows = 16, cols = 1024;
        float[] x = RandomBlocks.gaussian(rows * cols, 42);
        byte[] q = Quantizer.quantize(type, x, rows, cols);
        assertThat((long) q.length).isEqualTo(rows * type.bytesFor(cols));
        float[] y = Quantizer.dequantize(type, q, rows * cols);
        double sum = 0;
        for (int i = 0; i < x.length; i++) sum += (double) (x[i] - y[i]) * (x[i] - y[i]);
        double rmse = Math.sqrt(sum / x.length);
        assertThat(rmse).as("%s rmse", type).isLessThanOrEqualTo(MAX_RMSE.get(type));
        if (type.quantized()) assertThat(rmse).as("%s rmse is not suspiciously zero", type).isGreaterThan(1e-4);
    }

    @Test
    void q8_0_roundTripsMultiplesOfItsScale() {
        float[] x = new float[64];
        for (int i = 0; i < 64; i++) x[i] = ((i * 37) % 255 - 127) * 0.5f; // includes ±127 * 0.5
        x[0] = -127 * 0.5f;
        assertThat(Quantizer.dequantize(GgmlType.Q8_0, Quantizer.quantize(GgmlType.Q8_0, x, 2, 32), 64)).containsExactly(x);
    }

    @Test
    void q4_0AndQ5_0_roundTripTheirGrids() {
        float[] x4 = new float[32];
        for (int i = 0; i < 32; i++) x4[i] = ((i * 7) % 16 - 8) * 0.25f;
        x4[5] = -8 * 0.25f; // the largest magnitude sits on the -8 level
        assertThat(Quantizer.dequantize(GgmlType.Q4_0, Quantizer.quantize(GgmlType.Q4_0, x4, 1, 32), 32)).containsExactly(x4);
        float[] x5 = new float[32];
        for (int i = 0; i < 32; i++) x5[i] = ((i * 11) % 32 - 16) * 0.125f;
        x5[3] = -16 * 0.125f;
        assertThat(Quantizer.dequantize(GgmlType.Q5_0, Quantizer.quantize(GgmlType.Q5_0, x5, 1, 32), 32)).containsExactly(x5);
    }

    @Test
    void q4_1AndQ5_1_roundTripTheirGrids() {
        float[] x4 = new float[32];
        for (int i = 0; i < 32; i++) x4[i] = -1f + ((i * 7) % 16) * 0.25f; // min -1 and max -1 + 15*0.25 both occur
        assertThat(Quantizer.dequantize(GgmlType.Q4_1, Quantizer.quantize(GgmlType.Q4_1, x4, 1, 32), 32)).containsExactly(x4);
        float[] x5 = new float[32];
        for (int i = 0; i < 32; i++) x5[i] = -2f + ((i * 13) % 32) * 0.125f;
        assertThat(Quantizer.dequantize(GgmlType.Q5_1, Quantizer.quantize(GgmlType.Q5_1, x5, 1, 32), 32)).containsExactly(x5);
    }

    @Test
    void q6_K_roundTripsSixBitGridWithExactScale() {
        float[] x = new float[512];
        for (int i = 0; i < 512; i++) x[i] = ((i * 29) % 64 - 32) * 0.5f;
        for (int s = 0; s < 32; s++) x[16 * s] = -32 * 0.5f; // every sub-block reaches the -32 level
        assertThat(Quantizer.dequantize(GgmlType.Q6_K, Quantizer.quantize(GgmlType.Q6_K, x, 2, 256), 512)).containsExactly(x);
    }

    @Test
    void q4_KAndQ5_K_roundTripGridsWhoseScaleIsExactInF16() {
        for (GgmlType t : new GgmlType[] {GgmlType.Q4_K, GgmlType.Q5_K}) {
            int nmax = t == GgmlType.Q4_K ? 15 : 31;
            float step = 63f / 64; // the super-scale step/63 = 1/64 is exact in F16
            float[] x = new float[256];
            for (int i = 0; i < 256; i++) x[i] = ((i * 7) % (nmax + 1)) * step;
            for (int s = 0; s < 8; s++) { x[32 * s] = 0; x[32 * s + 1] = nmax * step; }
            float[] y = Quantizer.dequantize(t, Quantizer.quantize(t, x, 1, 256), 256);
            assertThat(y).as("%s", t).containsExactly(x, within(1e-5f));
        }
    }

    @Test
    void f16AndBf16_roundTripRepresentableValues() {
        float[] x = {0f, 1f, -2.5f, 65504f, 0x1p-24f, 3.140625f};
        assertThat(Quantizer.dequantize(GgmlType.F16, Quantizer.quantize(GgmlType.F16, x, 1, x.length), x.length)).containsExactly(x);
        float[] b = {0f, 1f, -3f, 3.140625f, 1e30f};
        float[] bq = Quantizer.dequantize(GgmlType.BF16, Quantizer.quantize(GgmlType.BF16, b, 1, b.length), b.length);
        assertThat(bq[0]).isEqualTo(0f);
        assertThat(bq[1]).isEqualTo(1f);
        assertThat(bq[2]).isEqualTo(-3f);
        assertThat(bq[3]).isEqualTo(3.140625f);
    }

    @Test
    void toBf16_roundsHalfwayCasesToEven() {
        assertThat(Quantizer.toBf16(1f + 0x1p-8f)).isEqualTo((short) 0x3F80);      // halfway, 0x3F80 is even
        assertThat(Quantizer.toBf16(1f + 3 * 0x1p-8f)).isEqualTo((short) 0x3F82);  // halfway, 0x3F82 is even
        assertThat(Quantizer.toBf16(1f + 0x1p-8f + 0x1p-20f)).isEqualTo((short) 0x3F81); // above halfway
        assertThat(Float.isNaN(Float.intBitsToFloat(Quantizer.toBf16(Float.NaN) << 16))).isTrue();
    }

    @Test
    void allZeroBlocks_quantizeToZeros() {
        for (GgmlType t : MAX_RMSE.keySet()) {
            float[] y = Quantizer.dequantize(t, Quantizer.quantize(t, new float[256], 1, 256), 256);
            for (float v : y) assertThat(v == 0f).as("%s gives %s (ggml, too, may store a -0 scale)", t, v).isTrue();
        }
    }

    @Test
    void quantize_rejectsPartialBlocksAndUnsupportedTypes() {
        assertThatThrownBy(() -> Quantizer.quantize(GgmlType.Q4_K, new float[128], 1, 128))
                .hasMessageContaining("256-element blocks");
        assertThatThrownBy(() -> Quantizer.quantize(GgmlType.IQ2_XS, new float[256], 1, 256))
                .isInstanceOf(UnsupportedTensorTypeException.class);
    }
}
