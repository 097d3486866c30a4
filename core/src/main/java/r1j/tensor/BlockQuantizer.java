package r1j.tensor;

import java.nio.ByteBuffer;

/**
 * Quantizers for the 32-value block types (Q4_0, Q4_1, Q5_0, Q5_1, Q8_0), producing ggml's block bytes with the
 * same rounding as ggml's {@code quantize_row_*_ref}. Each method quantizes the 32 values {@code x[off ..]} into
 * {@code out} at byte {@code at} (a little-endian buffer).
 */
final class BlockQuantizer {

    private BlockQuantizer() {}

    /** The value of largest magnitude, sign kept (the symmetric types map it to their most negative level). */
    private static float signedAbsMax(float[] x, int off) {
        float amax = 0, max = 0;
        for (int j = 0; j < 32; j++) {
            float v = x[off + j];
            if (Math.abs(v) > amax) { amax = Math.abs(v); max = v; }
        }
        return max;
    }

    /** C's {@code roundf}: halves round away from zero. */
    private static int roundAway(float v) {
        return (int) (Math.signum(v) * Math.floor(Math.abs(v) + 0.5f));
    }

    static void q8_0(float[] x, int off, ByteBuffer out, int at) {
        float amax = 0;
        for (int j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(x[off + j]));
        float d = amax / 127;
        float id = d != 0 ? 1f / d : 0f;
        out.putShort(at, Float.floatToFloat16(d));
        for (int j = 0; j < 32; j++) out.put(at + 2 + j, (byte) roundAway(x[off + j] * id));
    }

    static void q4_0(float[] x, int off, ByteBuffer out, int at) {
        float d = signedAbsMax(x, off) / -8;
        float id = d != 0 ? 1f / d : 0f;
        out.putShort(at, Float.floatToFloat16(d));
        for (int j = 0; j < 16; j++) {
            int lo = Math.min(15, (int) (x[off + j] * id + 8.5f));
            int hi = Math.min(15, (int) (x[off + 16 + j] * id + 8.5f));
            out.put(at + 2 + j, (byte) (lo | hi << 4));
        }
    }

    static void q4_1(float[] x, int off, ByteBuffer out, int at) {
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        for (int j = 0; j < 32; j++) { min = Math.min(min, x[off + j]); max = Math.max(max, x[off + j]); }
        float d = (max - min) / 15;
        float id = d != 0 ? 1f / d : 0f;
        out.putShort(at, Float.floatToFloat16(d));
        out.putShort(at + 2, Float.floatToFloat16(min));
        for (int j = 0; j < 16; j++) {
            int lo = Math.min(15, (int) ((x[off + j] - min) * id + 0.5f));
            int hi = Math.min(15, (int) ((x[off + 16 + j] - min) * id + 0.5f));
            out.put(at + 4 + j, (byte) (lo | hi << 4));
        }
    }

    static void q5_0(float[] x, int off, ByteBuffer out, int at) {
        float d = signedAbsMax(x, off) / -16;
        float id = d != 0 ? 1f / d : 0f;
        out.putShort(at, Float.floatToFloat16(d));
        int qh = 0;
        for (int j = 0; j < 16; j++) {
            int lo = Math.min(31, (int) (x[off + j] * id + 16.5f));
            int hi = Math.min(31, (int) (x[off + 16 + j] * id + 16.5f));
            out.put(at + 6 + j, (byte) ((lo & 0xF) | (hi & 0xF) << 4));
            qh |= (lo >> 4) << j | (hi >> 4) << (j + 16);
        }
        out.putInt(at + 2, qh);
    }

    static void q5_1(float[] x, int off, ByteBuffer out, int at) {
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        for (int j = 0; j < 32; j++) { min = Math.min(min, x[off + j]); max = Math.max(max, x[off + j]); }
        float d = (max - min) / 31;
        float id = d != 0 ? 1f / d : 0f;
        out.putShort(at, Float.floatToFloat16(d));
        out.putShort(at + 2, Float.floatToFloat16(min));
        int qh = 0;
        for (int j = 0; j < 16; j++) {
            int lo = Math.min(31, (int) ((x[off + j] - min) * id + 0.5f));
            int hi = Math.min(31, (int) ((x[off + 16 + j] - min) * id + 0.5f));
            out.put(at + 8 + j, (byte) ((lo & 0xF) | (hi & 0xF) << 4));
            qh |= (lo >> 4) << j | (hi >> 4) << (j + 16);
        }
        out.putInt(at + 4, qh);
    }
}
