package r1j.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

/**
 * Q5_0: blocks of 32 values, 22 bytes each ({@code block_q5_0}): F16 scale {@code d}, a little-endian 32-bit
 * {@code qh} holding each value's fifth bit (bit {@code i} for value {@code i}), then 16 bytes of low nibbles laid
 * out as in Q4_0. Each value is {@code (q - 16) * d} with {@code q} in 0..31.
 */
public record Q5_0Matrix(MemorySegment data, int rows, int cols) implements WeightMatrix {

    static final int BLOCK = 32;
    static final int BYTES = 22;

    public Q5_0Matrix {
        MatrixShape.check(GgmlType.Q5_0, data, rows, cols);
    }

    @Override
    public GgmlType type() { return GgmlType.Q5_0; }

    @Override
    public void dequantizeRow(int row, float[] out, int outOffset) {
        long base = (long) row * (cols / BLOCK) * BYTES;
        for (int b = 0; b < cols / BLOCK; b++) {
            long o = base + (long) b * BYTES;
            float d = LittleEndian.f16(data, o);
            int qh = LittleEndian.i32(data, o + 2);
            int y = outOffset + b * BLOCK;
            for (int j = 0; j < 16; j++) {
                int q = LittleEndian.u8(data, o + 6 + j);
                int h0 = ((qh >>> j) & 1) << 4;
                int h1 = ((qh >>> (j + 16)) & 1) << 4;
                out[y + j] = (((q & 0xF) | h0) - 16) * d;
                out[y + j + 16] = (((q >> 4) | h1) - 16) * d;
            }
        }
    }

    @Override
    public float dot(int row, float[] x, int xOffset) {
        if (!Vectors.QUANTIZED) return dotReference(row, x, xOffset);
        int L = Vectors.L;
        IntVector lane = IntVector.zero(Vectors.INT).addIndex(1);
        long base = (long) row * (cols / BLOCK) * BYTES;
        FloatVector acc = FloatVector.zero(Vectors.FLOAT);
        for (int b = 0; b < cols / BLOCK; b++) {
            long o = base + (long) b * BYTES;
            float d = LittleEndian.f16(data, o);
            IntVector qh = IntVector.broadcast(Vectors.INT, LittleEndian.i32(data, o + 2));
            int xb = xOffset + b * BLOCK;
            FloatVector block = FloatVector.zero(Vectors.FLOAT);
            for (int j = 0; j < 16; j += L) {
                ByteVector q = Vectors.bytes(data, o + 6 + j);
                IntVector h0 = FifthBits.of(qh, lane.add(j));
                IntVector h1 = FifthBits.of(qh, lane.add(j + 16));
                FloatVector lo = FifthBits.combine(q.and((byte) 0xF), h0, 16);
                FloatVector hi = FifthBits.combine(q.lanewise(VectorOperators.LSHR, 4).and((byte) 0xF), h1, 16);
                block = lo.fma(FloatVector.fromArray(Vectors.FLOAT, x, xb + j), block);
                block = hi.fma(FloatVector.fromArray(Vectors.FLOAT, x, xb + 16 + j), block);
            }
            acc = block.fma(FloatVector.broadcast(Vectors.FLOAT, d), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }
}
