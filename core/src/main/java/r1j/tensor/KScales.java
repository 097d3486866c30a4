package r1j.tensor;

import java.lang.foreign.MemorySegment;

/**
 * The 12-byte scale field of Q4_K and Q5_K ({@code get_scale_min_k4} in ggml): eight 6-bit scales and eight
 * 6-bit mins, one pair per 32-value sub-block. Bytes 0-3 hold scales 0-3 and bytes 4-7 mins 0-3 in their low 6
 * bits; sub-blocks 4-7 take their low 4 bits from bytes 8-11 (scale: low nibble, min: high nibble) and their top
 * 2 bits from the spare top bits of bytes 0-3 (scales) and 4-7 (mins).
 */
final class KScales {

    private KScales() {}

    /** The 6-bit scale of sub-block {@code j} (0..7), the scale field starting at {@code offset}. */
    static int scale(MemorySegment s, long offset, int j) {
        if (j < 4) return LittleEndian.u8(s, offset + j) & 63;
        return (LittleEndian.u8(s, offset + j + 4) & 0xF) | ((LittleEndian.u8(s, offset + j - 4) >> 6) << 4);
    }

    /** The 6-bit min of sub-block {@code j} (0..7). */
    static int min(MemorySegment s, long offset, int j) {
        if (j < 4) return LittleEndian.u8(s, offset + j + 4) & 63;
        return (LittleEndian.u8(s, offset + j + 4) >> 4) | ((LittleEndian.u8(s, offset + j) >> 6) << 4);
    }

    /**
     * The 6-bit scale of sub-block {@code j} from the field's three little-endian words already in registers:
     * {@code a} = bytes 0-3, {@code c} = bytes 8-11 (the decode kernels read the field once per super-block).
     */
    static int scale(int a, int c, int j) {
        if (j < 4) return (a >>> (8 * j)) & 63;
        int k = 8 * (j - 4);
        return ((c >>> k) & 0xF) | (((a >>> (k + 6)) & 3) << 4);
    }

    /** The 6-bit min of sub-block {@code j} from words {@code b} = bytes 4-7 and {@code c} = bytes 8-11. */
    static int min(int b, int c, int j) {
        if (j < 4) return (b >>> (8 * j)) & 63;
        int k = 8 * (j - 4);
        return ((c >>> (k + 4)) & 0xF) | (((b >>> (k + 6)) & 3) << 4);
    }
}
