package r1j.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Vector helpers for Q5_0 and Q5_1, whose fifth bits sit in one 32-bit word per block: lane {@code i} needs bit
 * {@code bitIndex[i]} of that word, moved to bit 4 and joined with the lane's low nibble.
 */
final class FifthBits {

    private FifthBits() {}

    /** {@code ((qh >>> bitIndex) & 1) << 4}, lane for lane. */
    static IntVector of(IntVector qh, IntVector bitIndex) {
        return qh.lanewise(VectorOperators.LSHR, bitIndex).and(1).lanewise(VectorOperators.LSHL, 4);
    }

    /** {@code (nibble | high) - offset} as floats. */
    static FloatVector combine(ByteVector nibbles, IntVector high, int offset) {
        IntVector q = (IntVector) nibbles.convertShape(VectorOperators.B2I, Vectors.INT, 0);
        return (FloatVector) q.or(high).sub(offset).convertShape(VectorOperators.I2F, Vectors.FLOAT, 0);
    }
}
