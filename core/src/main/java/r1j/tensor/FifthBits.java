package r1j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Vector helpers for Q5_0 and Q5_1, whose fifth bits sit in one 32-bit word per block: lane {@code i} needs bit
 * {@code bitIndex[i]} of that word, moved to bit 4 and joined with the lane's low nibble.
 */
final class FifthBits {

    private FifthBits() {}

    /** Lane indices 0 .. L-1. */
    static final IntVector LANES = IntVector.zero(Vectors.INT).addIndex(1);

    /** {@code ((qh >>> (first + lane)) & 1) << 4}, lane for lane. */
    static IntVector of(IntVector qh, int first) {
        return qh.lanewise(VectorOperators.LSHR, LANES.add(first)).and(1).lanewise(VectorOperators.LSHL, 4);
    }

    /** {@code (nibble | high) - offset} as floats. */
    static FloatVector combine(IntVector nibbles, IntVector high, int offset) {
        return Vectors.toFloat(nibbles.or(high).sub(offset));
    }
}
