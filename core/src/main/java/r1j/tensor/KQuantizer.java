package r1j.tensor;

import java.nio.ByteBuffer;

/**
 * Quantizers for the 256-value K-quant super-blocks (Q2_K .. Q6_K), in the manner of ggml's
 * {@code quantize_row_*_K_ref}: fit a scale (and min) per sub-block with {@link ScaleSearch}, quantize those to
 * 4, 6 or 8 bits against one F16 super-scale, then requantize every value with the scale a reader will actually
 * decode, so rounding of the scales costs as little as possible. Layouts are described on each matrix class.
 */
final class KQuantizer {

    private KQuantizer() {}

    static void q4_K(float[] x, int off, ByteBuffer out, int at) {
        fourOrFiveBit(x, off, out, at, 15);
    }

    static void q5_K(float[] x, int off, ByteBuffer out, int at) {
        fourOrFiveBit(x, off, out, at, 31);
    }

    /** Q4_K ({@code nmax} 15) and Q5_K ({@code nmax} 31): 8 sub-blocks of 32 with 6-bit scale and min each. */
    private static void fourOrFiveBit(float[] x, int off, ByteBuffer out, int at, int nmax) {
        byte[] levels = new byte[256];
        float[] scales = new float[8], mins = new float[8], w = new float[32];
        float maxScale = 0, maxMin = 0;
        for (int j = 0; j < 8; j++) {
            float sumX2 = 0;
            for (int l = 0; l < 32; l++) sumX2 += x[off + 32 * j + l] * x[off + 32 * j + l];
            float av = (float) Math.sqrt(sumX2 / 32);
            for (int l = 0; l < 32; l++) w[l] = av + Math.abs(x[off + 32 * j + l]);
            ScaleSearch.ScaleMin sm = nmax == 15
                    ? ScaleSearch.asymmetric(x, off + 32 * j, 32, 15, w, -1f, 0.1f, 20, false, levels, 32 * j)
                    : ScaleSearch.asymmetric(x, off + 32 * j, 32, 31, w, -0.5f, 0.1f, 15, false, levels, 32 * j);
            scales[j] = sm.scale();
            mins[j] = sm.min();
            maxScale = Math.max(maxScale, scales[j]);
            maxMin = Math.max(maxMin, mins[j]);
        }
        float invScale = maxScale > 0 ? 63f / maxScale : 0f, invMin = maxMin > 0 ? 63f / maxMin : 0f;
        int[] ls = new int[8], lm = new int[8];
        byte[] packed = new byte[12];
        for (int j = 0; j < 8; j++) {
            ls[j] = Math.min(63, ScaleSearch.nearest(invScale * scales[j]));
            lm[j] = Math.min(63, ScaleSearch.nearest(invMin * mins[j]));
            if (j < 4) {
                packed[j] = (byte) ls[j];
                packed[j + 4] = (byte) lm[j];
            } else {
                packed[j + 4] = (byte) ((ls[j] & 0xF) | (lm[j] & 0xF) << 4);
                packed[j - 4] |= (byte) ((ls[j] >> 4) << 6);
                packed[j] |= (byte) ((lm[j] >> 4) << 6);
            }
        }
        short dBits = Float.floatToFloat16(maxScale / 63f), dminBits = Float.floatToFloat16(maxMin / 63f);
        out.putShort(at, dBits).putShort(at + 2, dminBits).put(at + 4, packed);
        float d = Float.float16ToFloat(dBits), dmin = Float.float16ToFloat(dminBits);
        for (int j = 0; j < 8; j++) {
            float dl = d * ls[j];
            if (dl == 0) continue;
            float ml = dmin * lm[j];
            for (int l = 0; l < 32; l++) {
                levels[32 * j + l] = (byte) ScaleSearch.clamp(ScaleSearch.nearest((x[off + 32 * j + l] + ml) / dl), 0, nmax);
            }
        }
        if (nmax == 15) {
            for (int g = 0; g < 4; g++) {
                for (int l = 0; l < 32; l++) out.put(at + 16 + 32 * g + l, (byte) (levels[64 * g + l] | levels[64 * g + 32 + l] << 4));
            }
        } else {
            byte[] qh = new byte[32];
            for (int g = 0; g < 4; g++) {
                for (int l = 0; l < 32; l++) {
                    int lo = levels[64 * g + l], hi = levels[64 * g + 32 + l];
                    qh[l] |= (byte) ((lo >> 4) << (2 * g) | (hi >> 4) << (2 * g + 1));
                    out.put(at + 48 + 32 * g + l, (byte) ((lo & 0xF) | (hi & 0xF) << 4));
                }
            }
            out.put(at + 16, qh);
        }
    }

    /** Q6_K: 16 sub-blocks of 16 with a signed 8-bit scale each, 6-bit values. */
    static void q6_K(float[] x, int off, ByteBuffer out, int at) {
        byte[] levels = new byte[256];
        float[] scales = new float[16];
        float maxScale = 0, maxAbs = 0;
        for (int ib = 0; ib < 16; ib++) {
            scales[ib] = ScaleSearch.symmetric(x, off + 16 * ib, 16, 32, levels, 16 * ib);
            if (Math.abs(scales[ib]) > maxAbs) { maxAbs = Math.abs(scales[ib]); maxScale = scales[ib]; }
        }
        if (maxAbs < ScaleSearch.EPS) {
            for (int i = 0; i < 210; i++) out.put(at + i, (byte) 0);
            return;
        }
        float iscale = -128f / maxScale;
        short dBits = Float.floatToFloat16(1 / iscale);
        float d = Float.float16ToFloat(dBits);
        int[] sc = new int[16];
        for (int ib = 0; ib < 16; ib++) sc[ib] = Math.min(127, ScaleSearch.nearest(iscale * scales[ib]));
        for (int ib = 0; ib < 16; ib++) {
            float dl = d * sc[ib];
            if (dl == 0) continue;
            for (int l = 0; l < 16; l++) {
                levels[16 * ib + l] = (byte) (ScaleSearch.clamp(ScaleSearch.nearest(x[off + 16 * ib + l] / dl), -32, 31) + 32);
            }
        }
        for (int h = 0; h < 2; h++) {
            for (int l = 0; l < 32; l++) {
                int q1 = levels[128 * h + l], q2 = levels[128 * h + 32 + l], q3 = levels[128 * h + 64 + l], q4 = levels[128 * h + 96 + l];
                out.put(at + 64 * h + l, (byte) ((q1 & 0xF) | (q3 & 0xF) << 4));
                out.put(at + 64 * h + 32 + l, (byte) ((q2 & 0xF) | (q4 & 0xF) << 4));
                out.put(at + 128 + 32 * h + l, (byte) ((q1 >> 4) | (q2 >> 4) << 2 | (q3 >> 4) << 4 | (q4 >> 4) << 6));
            }
        }
        for (int ib = 0; ib < 16; ib++) out.put(at + 192 + ib, (byte) sc[ib]);
        out.putShort(at + 208, dBits);
    }

    /** Q2_K: 16 sub-blocks of 16 with 4-bit scale and 4-bit min each, 2-bit values. */
    static void q2_K(float[] x, int off, ByteBuffer out, int at) {
        byte[] levels = new byte[256];
        float[] scales = new float[16], mins = new float[16], w = new float[16];
        float maxScale = 0, maxMin = 0;
        for (int j = 0; j < 16; j++) {
            for (int l = 0; l < 16; l++) w[l] = Math.abs(x[off + 16 * j + l]);
            ScaleSearch.ScaleMin sm = ScaleSearch.asymmetric(x, off + 16 * j, 16, 3, w, -0.5f, 0.1f, 15, true, levels, 16 * j);
            scales[j] = sm.scale();
            mins[j] = sm.min();
            maxScale = Math.max(maxScale, scales[j]);
            maxMin = Math.max(maxMin, mins[j]);
        }
        int[] sc = new int[16];
        short dBits = 0, dminBits = 0;
        if (maxScale > 0) {
            float iscale = 15f / maxScale;
            for (int j = 0; j < 16; j++) sc[j] = Math.min(15, ScaleSearch.nearest(iscale * scales[j]));
            dBits = Float.floatToFloat16(maxScale / 15f);
        }
        if (maxMin > 0) {
            float iscale = 15f / maxMin;
            for (int j = 0; j < 16; j++) sc[j] |= Math.min(15, ScaleSearch.nearest(iscale * mins[j])) << 4;
            dminBits = Float.floatToFloat16(maxMin / 15f);
        }
        float d = Float.float16ToFloat(dBits), dmin = Float.float16ToFloat(dminBits);
        for (int j = 0; j < 16; j++) {
            float dl = d * (sc[j] & 0xF);
            if (dl == 0) continue;
            float ml = dmin * (sc[j] >> 4);
            for (int l = 0; l < 16; l++) {
                levels[16 * j + l] = (byte) ScaleSearch.clamp(ScaleSearch.nearest((x[off + 16 * j + l] + ml) / dl), 0, 3);
            }
        }
        for (int j = 0; j < 16; j++) out.put(at + j, (byte) sc[j]);
        for (int h = 0; h < 2; h++) {
            for (int l = 0; l < 32; l++) {
                int b = 128 * h + l;
                out.put(at + 16 + 32 * h + l, (byte) (levels[b] | levels[b + 32] << 2 | levels[b + 64] << 4 | levels[b + 96] << 6));
            }
        }
        out.putShort(at + 80, dBits).putShort(at + 82, dminBits);
    }

    /** Q3_K: 16 sub-blocks of 16 with a 6-bit signed scale each, 3-bit values split into 2 low bits and a high bit. */
    static void q3_K(float[] x, int off, ByteBuffer out, int at) {
        byte[] levels = new byte[256];
        float[] scales = new float[16];
        float maxScale = 0, maxAbs = 0;
        for (int j = 0; j < 16; j++) {
            scales[j] = ScaleSearch.symmetric(x, off + 16 * j, 16, 4, levels, 16 * j);
            if (Math.abs(scales[j]) > maxAbs) { maxAbs = Math.abs(scales[j]); maxScale = scales[j]; }
        }
        byte[] packed = new byte[12];
        int[] sc = new int[16];
        short dBits = 0;
        if (maxScale != 0) {
            float iscale = -32f / maxScale;
            for (int j = 0; j < 16; j++) {
                int l = ScaleSearch.clamp(ScaleSearch.nearest(iscale * scales[j]), -32, 31) + 32;
                sc[j] = l - 32;
                if (j < 8) packed[j] |= (byte) (l & 0xF);
                else packed[j - 8] |= (byte) ((l & 0xF) << 4);
                packed[8 + j % 4] |= (byte) ((l >> 4) << (2 * (j / 4)));
            }
            dBits = Float.floatToFloat16(1 / iscale);
        }
        float d = Float.float16ToFloat(dBits);
        for (int j = 0; j < 16; j++) {
            float dl = d * sc[j];
            if (dl == 0) continue;
            for (int l = 0; l < 16; l++) {
                levels[16 * j + l] = (byte) (ScaleSearch.clamp(ScaleSearch.nearest(x[off + 16 * j + l] / dl), -4, 3) + 4);
            }
        }
        byte[] hmask = new byte[32];
        for (int i = 0; i < 256; i++) {
            if (levels[i] > 3) {
                hmask[i % 32] |= (byte) (1 << (i / 32));
                levels[i] -= 4;
            }
        }
        out.put(at, hmask);
        for (int h = 0; h < 2; h++) {
            for (int l = 0; l < 32; l++) {
                int b = 128 * h + l;
                out.put(at + 32 + 32 * h + l, (byte) (levels[b] | levels[b + 32] << 2 | levels[b + 64] << 4 | levels[b + 96] << 6));
            }
        }
        out.put(at + 96, packed);
        out.putShort(at + 108, dBits);
    }
}
