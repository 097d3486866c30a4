package r1j.tensor;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dequantization of blocks built by hand from ggml's block structs ({@code ggml-common.h}): each test chooses the
 * quantized values, encodes them the way the struct comment and {@code quantize_row_*} lay them out, and expects
 * the value of ggml's {@code dequantize_row_*} formula computed here, independently of the decoder.
 */
class HandBuiltBlocksTest {

    private static ByteBuffer block(GgmlType t) {
        return ByteBuffer.allocate(t.bytesPerBlock()).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static float[] decode(GgmlType t, ByteBuffer b) {
        WeightMatrix w = WeightMatrix.of(t, MemorySegment.ofArray(b.array()), 1, t.blockSize());
        float[] out = new float[t.blockSize()];
        w.dequantizeRowReference(0, out, 0);
        float[] fast = new float[t.blockSize()];
        w.dequantizeRow(0, fast, 0);
        assertThat(fast).as("fast %s dequantizer agrees with the reference", t).isEqualTo(out);
        return out;
    }

    private static short half(float v) { return Float.floatToFloat16(v); }

    @Test
    void q4_0_valueIsNibbleMinus8TimesD() {
        ByteBuffer b = block(GgmlType.Q4_0).putShort(half(0.5f));
        for (int j = 0; j < 16; j++) b.put((byte) (j | (15 - j) << 4));
        float[] v = decode(GgmlType.Q4_0, b);
        for (int j = 0; j < 16; j++) {
            assertThat(v[j]).isEqualTo((j - 8) * 0.5f);
            assertThat(v[j + 16]).isEqualTo((7 - j) * 0.5f);
        }
    }

    @Test
    void q4_1_valueIsNibbleTimesDPlusMin() {
        ByteBuffer b = block(GgmlType.Q4_1).putShort(half(0.5f)).putShort(half(-1f));
        for (int j = 0; j < 16; j++) b.put((byte) (j | (15 - j) << 4));
        float[] v = decode(GgmlType.Q4_1, b);
        for (int j = 0; j < 16; j++) {
            assertThat(v[j]).isEqualTo(j * 0.5f - 1f);
            assertThat(v[j + 16]).isEqualTo((15 - j) * 0.5f - 1f);
        }
    }

    @Test
    void q5_0_takesFifthBitFromQh() {
        int qh = 0xA5C3_0F69;
        ByteBuffer b = block(GgmlType.Q5_0).putShort(half(0.25f)).putInt(qh);
        for (int j = 0; j < 16; j++) b.put((byte) (j | (15 - j) << 4));
        float[] v = decode(GgmlType.Q5_0, b);
        for (int j = 0; j < 16; j++) {
            int q0 = j + 16 * ((qh >>> j) & 1);
            int q1 = (15 - j) + 16 * ((qh >>> (j + 16)) & 1);
            assertThat(v[j]).isEqualTo((q0 - 16) * 0.25f);
            assertThat(v[j + 16]).isEqualTo((q1 - 16) * 0.25f);
        }
    }

    @Test
    void q5_1_takesFifthBitFromQhAndAddsMin() {
        int qh = 0x1234_F00D;
        ByteBuffer b = block(GgmlType.Q5_1).putShort(half(0.125f)).putShort(half(-2f)).putInt(qh);
        for (int j = 0; j < 16; j++) b.put((byte) (j | (15 - j) << 4));
        float[] v = decode(GgmlType.Q5_1, b);
        for (int j = 0; j < 16; j++) {
            int q0 = j + 16 * ((qh >>> j) & 1);
            int q1 = (15 - j) + 16 * ((qh >>> (j + 16)) & 1);
            assertThat(v[j]).isEqualTo(q0 * 0.125f - 2f);
            assertThat(v[j + 16]).isEqualTo(q1 * 0.125f - 2f);
        }
    }

    @Test
    void q8_0_valueIsSignedByteTimesD() {
        ByteBuffer b = block(GgmlType.Q8_0).putShort(half(0.25f));
        for (int i = 0; i < 32; i++) b.put((byte) (i * 9 - 128));
        float[] v = decode(GgmlType.Q8_0, b);
        for (int i = 0; i < 32; i++) assertThat(v[i]).isEqualTo((byte) (i * 9 - 128) * 0.25f);
    }

    @Test
    void f16AndBf16_decodeKnownBitPatterns() {
        ByteBuffer f = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) 0x3C00).putShort((short) 0xC000).putShort((short) 0x3555).putShort((short) 0x0001);
        assertThat(decodeRow(GgmlType.F16, f.array(), 4)).containsExactly(1f, -2f, 0.333251953125f, 0x1p-24f);
        ByteBuffer bf = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) 0x3F80).putShort((short) 0xC040).putShort((short) 0x4049);
        assertThat(decodeRow(GgmlType.BF16, bf.array(), 3)).containsExactly(1f, -3f, 3.140625f);
    }

    private static float[] decodeRow(GgmlType t, byte[] bytes, int cols) {
        WeightMatrix w = WeightMatrix.of(t, MemorySegment.ofArray(bytes), 1, cols);
        float[] out = new float[cols];
        w.dequantizeRowReference(0, out, 0);
        float[] fast = new float[cols];
        w.dequantizeRow(0, fast, 0);
        assertThat(fast).isEqualTo(out);
        return out;
    }

    /** Scales 10, 17, ..., 59 and mins 63, 58, ..., 28: sub-blocks 4-7 need the top bits stored elsewhere. */
    private static int kScale(int s) { return 10 + 7 * s; }

    private static int kMin(int s) { return 63 - 5 * s; }

    /** The 12-byte K-quant scale field, written per {@code get_scale_min_k4}'s layout. */
    private static void putKScales(ByteBuffer b, int at) {
        byte[] f = new byte[12];
        for (int j = 0; j < 8; j++) {
            int sc = kScale(j), m = kMin(j);
            if (j < 4) {
                f[j] |= (byte) sc;
                f[j + 4] |= (byte) m;
            } else {
                f[j + 4] = (byte) ((sc & 0xF) | (m & 0xF) << 4);
                f[j - 4] |= (byte) ((sc >> 4) << 6);
                f[j] |= (byte) ((m >> 4) << 6);
            }
        }
        b.put(at, f);
    }

    @Test
    void q4_K_appliesSixBitScalesAndMinsPerSubBlock() {
        ByteBuffer b = block(GgmlType.Q4_K).putShort(half(0.5f)).putShort(half(0.25f));
        putKScales(b, 4);
        int[] q = new int[256];
        for (int i = 0; i < 256; i++) q[i] = (i * 7 + i / 32) % 16;
        for (int g = 0; g < 4; g++) {
            for (int l = 0; l < 32; l++) b.put(16 + 32 * g + l, (byte) (q[64 * g + l] | q[64 * g + 32 + l] << 4));
        }
        float[] v = decode(GgmlType.Q4_K, b);
        for (int i = 0; i < 256; i++) {
            int s = i / 32;
            assertThat(v[i]).as("value %d", i).isEqualTo(0.5f * kScale(s) * q[i] - 0.25f * kMin(s));
        }
    }

    @Test
    void q5_K_addsFifthBitFromQhPlanes() {
        ByteBuffer b = block(GgmlType.Q5_K).putShort(half(0.5f)).putShort(half(0.25f));
        putKScales(b, 4);
        int[] q = new int[256];
        for (int i = 0; i < 256; i++) q[i] = (i * 11 + i / 16) % 32;
        for (int g = 0; g < 4; g++) {
            for (int l = 0; l < 32; l++) {
                int lo = q[64 * g + l], hi = q[64 * g + 32 + l];
                b.put(48 + 32 * g + l, (byte) ((lo & 0xF) | (hi & 0xF) << 4));
                int qh = b.get(16 + l) & 0xFF;
                qh |= (lo >> 4) << (2 * g) | (hi >> 4) << (2 * g + 1);
                b.put(16 + l, (byte) qh);
            }
        }
        float[] v = decode(GgmlType.Q5_K, b);
        for (int i = 0; i < 256; i++) {
            int s = i / 32;
            assertThat(v[i]).as("value %d", i).isEqualTo(0.5f * kScale(s) * q[i] - 0.25f * kMin(s));
        }
    }

    @Test
    void q6_K_joinsLowNibblesAndHighBitPairs() {
        ByteBuffer b = block(GgmlType.Q6_K);
        int[] q = new int[256];
        for (int i = 0; i < 256; i++) q[i] = (i * 13 + 5) % 64;
        for (int h = 0; h < 2; h++) {
            for (int l = 0; l < 32; l++) {
                int q1 = q[128 * h + l], q2 = q[128 * h + 32 + l], q3 = q[128 * h + 64 + l], q4 = q[128 * h + 96 + l];
                b.put(64 * h + l, (byte) ((q1 & 0xF) | (q3 & 0xF) << 4));
                b.put(64 * h + 32 + l, (byte) ((q2 & 0xF) | (q4 & 0xF) << 4));
                b.put(128 + 32 * h + l, (byte) ((q1 >> 4) | (q2 >> 4) << 2 | (q3 >> 4) << 4 | (q4 >> 4) << 6));
            }
        }
        for (int s = 0; s < 16; s++) b.put(192 + s, (byte) (s * 9 - 70));
        b.putShort(208, half(0.125f));
        float[] v = decode(GgmlType.Q6_K, b);
        for (int i = 0; i < 256; i++) {
            int scale = (byte) ((i / 16) * 9 - 70);
            assertThat(v[i]).as("value %d", i).isEqualTo(0.125f * scale * (q[i] - 32));
        }
    }

    @Test
    void q2_K_appliesNibbleScaleAndMinPer16Values() {
        ByteBuffer b = block(GgmlType.Q2_K);
        int[] q = new int[256];
        for (int i = 0; i < 256; i++) q[i] = (i * 5 + i / 64) % 4;
        for (int s = 0; s < 16; s++) b.put(s, (byte) ((s + 1) % 16 | ((15 - s) << 4)));
        for (int h = 0; h < 2; h++) {
            for (int j = 0; j < 4; j++) {
                for (int l = 0; l < 32; l++) {
                    int at = 16 + 32 * h + l;
                    b.put(at, (byte) (b.get(at) | q[128 * h + 32 * j + l] << (2 * j)));
                }
            }
        }
        b.putShort(80, half(0.5f)).putShort(82, half(0.125f));
        float[] v = decode(GgmlType.Q2_K, b);
        for (int i = 0; i < 256; i++) {
            int s = i / 16;
            assertThat(v[i]).as("value %d", i).isEqualTo(0.5f * ((s + 1) % 16) * q[i] - 0.125f * (15 - s));
        }
    }

    @Test
    void q3_K_subtracts4WhenHighBitClearAndUsesSixBitScales() {
        ByteBuffer b = block(GgmlType.Q3_K);
        int[] q = new int[256];
        for (int i = 0; i < 256; i++) q[i] = (i * 3 + i / 32) % 8 - 4;
        for (int h = 0; h < 2; h++) {
            for (int j = 0; j < 4; j++) {
                for (int l = 0; l < 32; l++) {
                    int value = q[128 * h + 32 * j + l];
                    int hbit = value >= 0 ? 1 : 0;
                    int low2 = value >= 0 ? value : value + 4;
                    int qs = 32 + 32 * h + l;
                    b.put(qs, (byte) (b.get(qs) | low2 << (2 * j)));
                    b.put(l, (byte) (b.get(l) | hbit << (4 * h + j)));
                }
            }
        }
        int[] scale = new int[16];
        for (int s = 0; s < 16; s++) {
            scale[s] = s * 4 - 31; // -31 .. 29
            int stored = scale[s] + 32;
            int lowAt = 96 + (s < 8 ? s : s - 8);
            int lowShift = s < 8 ? 0 : 4;
            b.put(lowAt, (byte) (b.get(lowAt) | (stored & 0xF) << lowShift));
            int highAt = 96 + 8 + s % 4;
            b.put(highAt, (byte) (b.get(highAt) | (stored >> 4) << (2 * (s / 4))));
        }
        b.putShort(108, half(0.5f));
        float[] v = decode(GgmlType.Q3_K, b);
        for (int i = 0; i < 256; i++) {
            assertThat(v[i]).as("value %d", i).isEqualTo(0.5f * scale[i / 16] * q[i]);
        }
    }
}
