package r1j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

/**
 * Q5_1: blocks of 32 values, 24 bytes each ({@code block_q5_1}): F16 scale {@code d}, F16 minimum {@code m}, a
 * little-endian 32-bit {@code qh} of fifth bits (bit {@code i} for value {@code i}) and 16 bytes of low nibbles
 * laid out as in Q4_0. Each value is {@code q * d + m} with {@code q} in 0..31.
 */
public record Q5_1Matrix(MemorySegment data, int rows, int cols) implements WeightMatrix {

    static final int BLOCK = 32;
    static final int BYTES = 24;

    public Q5_1Matrix {
        MatrixShape.check(GgmlType.Q5_1, data, rows, cols);
    }

    @Override
    public GgmlType type() { return GgmlType.Q5_1; }

    @Override
    public void dequantizeRowReference(int row, float[] out, int outOffset) {
        long base = (long) row * (cols / BLOCK) * BYTES;
        for (int b = 0; b < cols / BLOCK; b++) {
            long o = base + (long) b * BYTES;
            float d = LittleEndian.f16(data, o);
            float m = LittleEndian.f16(data, o + 2);
            int qh = LittleEndian.i32(data, o + 4);
            int y = outOffset + b * BLOCK;
            for (int j = 0; j < 16; j++) {
                int q = LittleEndian.u8(data, o + 8 + j);
                int h0 = ((qh >>> j) & 1) << 4;
                int h1 = ((qh >>> (j + 16)) & 1) << 4;
                out[y + j] = ((q & 0xF) | h0) * d + m;
                out[y + j + 16] = ((q >> 4) | h1) * d + m;
            }
        }
    }

    @Override
    public void dequantizeRow(int row, float[] out, int outOffset) {
        if (!Vectors.QUANTIZED) { dequantizeRowReference(row, out, outOffset); return; }
        long base = (long) row * (cols / BLOCK) * BYTES;
        for (int b = 0; b < cols / BLOCK; b++) {
            long o = base + (long) b * BYTES;
            float d = LittleEndian.f16(data, o);
            float m = LittleEndian.f16(data, o + 2);
            IntVector qh = IntVector.broadcast(Vectors.INT, LittleEndian.i32(data, o + 4));
            int y = outOffset + b * BLOCK;
            for (int j = 0; j < 16; j += Vectors.L) {
                IntVector q = Vectors.ints(data, o + 8 + j);
                FifthBits.combine(q.and(0xF), FifthBits.of(qh, j), 0).mul(d).add(m).intoArray(out, y + j);
                FifthBits.combine(q.lanewise(VectorOperators.LSHR, 4).and(0xF), FifthBits.of(qh, j + 16), 0).mul(d).add(m).intoArray(out, y + 16 + j);
            }
        }
    }

    @Override
    public float dot(int row, float[] x, int xOffset) {
        if (!Vectors.QUANTIZED) return dotReference(row, x, xOffset);
        long base = (long) row * (cols / BLOCK) * BYTES;
        FloatVector acc = FloatVector.zero(Vectors.FLOAT);
        for (int b = 0; b < cols / BLOCK; b++) {
            long o = base + (long) b * BYTES;
            float d = LittleEndian.f16(data, o);
            float m = LittleEndian.f16(data, o + 2);
            IntVector qh = IntVector.broadcast(Vectors.INT, LittleEndian.i32(data, o + 4));
            int xb = xOffset + b * BLOCK;
            for (int j = 0; j < 16; j += Vectors.L) {
                IntVector q = Vectors.ints(data, o + 8 + j);
                FloatVector lo = FifthBits.combine(q.and(0xF), FifthBits.of(qh, j), 0).mul(d).add(m);
                FloatVector hi = FifthBits.combine(q.lanewise(VectorOperators.LSHR, 4).and(0xF), FifthBits.of(qh, j + 16), 0).mul(d).add(m);
                acc = lo.fma(FloatVector.fromArray(Vectors.FLOAT, x, xb + j), acc);
                acc = hi.fma(FloatVector.fromArray(Vectors.FLOAT, x, xb + 16 + j), acc);
            }
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }
}
