package r1j.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * The vector shapes the kernels use, chosen once: {@link #FLOAT} has {@code L} lanes (8 with AVX2, 16 with
 * AVX-512) and the byte, short and int species have the same {@code L} lanes, so {@code L} quantized values widen
 * to exactly one float vector. Set {@code -Dr1j.vector.bits=256} (or 512) to force a float width; tests use this
 * to cover both widths.
 *
 * <p>Quantized kernels run at every width of 4 lanes or more ({@link #QUANTIZED}): at 4 lanes (128-bit, e.g.
 * NEON) {@link #ints} builds its lanes from one 32-bit read, since there is no 32-bit byte vector to widen.
 */
final class Vectors {

    static final VectorSpecies<Float> FLOAT = chooseFloat();
    static final int L = FLOAT.length();
    static final VectorSpecies<Integer> INT = speciesOf(int.class, L * 32);
    static final VectorSpecies<Short> SHORT = speciesOf(short.class, L * 16);
    /** {@code L} bytes; none at 4 lanes (there is no 32-bit byte vector), where {@link #ints} reads an int instead. */
    static final VectorSpecies<Byte> BYTE = L * 8 >= 64 ? speciesOf(byte.class, L * 8) : null;
    static final boolean QUANTIZED = L >= 4;

    /** Per lane, the left shift that brings byte {@code lane} of a little-endian int to the top (4 lanes only). */
    private static final IntVector BYTE_TO_TOP = L == 4 ? IntVector.fromArray(INT, new int[] {24, 16, 8, 0}, 0) : null;

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private Vectors() {}

    private static VectorSpecies<Float> chooseFloat() {
        String bits = System.getProperty("r1j.vector.bits");
        if (bits == null || bits.isBlank()) return FloatVector.SPECIES_PREFERRED;
        return switch (bits.strip()) {
            case "128" -> FloatVector.SPECIES_128;
            case "256" -> FloatVector.SPECIES_256;
            case "512" -> FloatVector.SPECIES_512;
            default -> throw new IllegalArgumentException("r1j.vector.bits must be 128, 256 or 512, got '" + bits + "'");
        };
    }

    private static <E> VectorSpecies<E> speciesOf(Class<E> type, int bits) {
        return VectorSpecies.of(type, VectorShape.forBitSize(bits));
    }

    /** {@code L} bytes at {@code offset} (unaligned). */
    static ByteVector bytes(MemorySegment s, long offset) {
        return ByteVector.fromMemorySegment(BYTE, s, offset, LE);
    }

    /**
     * {@code L} bytes at {@code offset} sign-extended to int lanes. Bit fields are extracted in int lanes because
     * x86 has no byte-lane shifts: byte-vector shifts are emulated and kill the kernel's speed. Callers mask
     * what they extract, so the sign extension never leaks into a field.
     */
    static IntVector ints(MemorySegment s, long offset) {
        if (BYTE == null) {
            // broadcast the 4 bytes as one int; each lane moves its byte to the top and shifts it back down, signed
            return IntVector.broadcast(INT, LittleEndian.i32(s, offset)).lanewise(VectorOperators.LSHL, BYTE_TO_TOP)
                    .lanewise(VectorOperators.ASHR, 24);
        }
        return (IntVector) bytes(s, offset).convertShape(VectorOperators.B2I, INT, 0);
    }

    /** {@code L} signed bytes at {@code offset} as floats, lane for lane. */
    static FloatVector byteFloats(MemorySegment s, long offset) {
        return BYTE == null ? toFloat(ints(s, offset)) : toFloat(bytes(s, offset));
    }

    /** Int lanes converted to floats. */
    static FloatVector toFloat(IntVector v) {
        return (FloatVector) v.convertShape(VectorOperators.I2F, FLOAT, 0);
    }

    /** Signed bytes widened to floats, lane for lane. */
    static FloatVector toFloat(ByteVector b) {
        return (FloatVector) b.convertShape(VectorOperators.B2F, FLOAT, 0);
    }

    /** {@code L} floats at {@code offset} (unaligned, little-endian). */
    static FloatVector floats(MemorySegment s, long offset) {
        return FloatVector.fromMemorySegment(FLOAT, s, offset, LE);
    }

    /**
     * {@code L} IEEE half-precision values at {@code offset} as floats. The exponent and mantissa bits move into
     * float position and a multiply by 2^112 rebiases the exponent, which is exact for normal and subnormal
     * halves alike. Infinities and NaNs (never present in weights) come out as finite values.
     */
    static FloatVector halfs(MemorySegment s, long offset) {
        IntVector h = (IntVector) ShortVector.fromMemorySegment(SHORT, s, offset, LE).convertShape(VectorOperators.S2I, INT, 0);
        IntVector bits = h.and(0x8000).lanewise(VectorOperators.LSHL, 16)
                .or(h.and(0x7FFF).lanewise(VectorOperators.LSHL, 13));
        return bits.reinterpretAsFloats().mul(0x1p112f);
    }

    /** {@code L} bfloat16 values at {@code offset} as floats: each is the top half of a float. */
    static FloatVector bfloat16s(MemorySegment s, long offset) {
        IntVector h = (IntVector) ShortVector.fromMemorySegment(SHORT, s, offset, LE).convertShape(VectorOperators.S2I, INT, 0);
        return h.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }
}
