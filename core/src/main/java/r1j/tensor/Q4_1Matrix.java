package r1j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

/**
 * Q4_1: blocks of 32 values, 20 bytes each ({@code block_q4_1}): F16 scale {@code d}, F16 minimum {@code m},
 * then 16 bytes of 4-bit values laid out as in Q4_0 (byte {@code j}: value {@code j} low nibble, {@code j+16}
 * high nibble); each value is {@code q * d + m}.
 */
public record Q4_1Matrix(MemorySegment data, int rows, int cols) implements WeightMatrix {

    static final int BLOCK = 32;
    static final int BYTES = 20;

    public Q4_1Matrix {
        MatrixShape.check(GgmlType.Q4_1, data, rows, cols);
    }

    @Override
    public GgmlType type() { return GgmlType.Q4_1; }

    @Override
    public void dequantizeRowReference(int row, float[] out, int outOffset) {
        long base = (long) row * (cols / BLOCK) * BYTES;
        for (int b = 0; b < cols / BLOCK; b++) {
            long o = base + (long) b * BYTES;
            float d = LittleEndian.f16(data, o);
            float m = LittleEndian.f16(data, o + 2);
            int y = outOffset + b * BLOCK;
            for (int j = 0; j < 16; j++) {
                int q = LittleEndian.u8(data, o + 4 + j);
                out[y + j] = (q & 0xF) * d + m;
                out[y + j + 16] = (q >> 4) * d + m;
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
            int y = outOffset + b * BLOCK;
            for (int j = 0; j < 16; j += Vectors.L) {
                IntVector q = Vectors.ints(data, o + 4 + j);
                Vectors.toFloat(q.and(0xF)).mul(d).add(m).intoArray(out, y + j);
                Vectors.toFloat(q.lanewise(VectorOperators.LSHR, 4).and(0xF)).mul(d).add(m).intoArray(out, y + 16 + j);
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
            int xb = xOffset + b * BLOCK;
            for (int j = 0; j < 16; j += Vectors.L) {
                IntVector q = Vectors.ints(data, o + 4 + j);
                FloatVector lo = Vectors.toFloat(q.and(0xF)).mul(d).add(m);
                FloatVector hi = Vectors.toFloat(q.lanewise(VectorOperators.LSHR, 4).and(0xF)).mul(d).add(m);
                acc = lo.fma(FloatVector.fromArray(Vectors.FLOAT, x, xb + j), acc);
                acc = hi.fma(FloatVector.fromArray(Vectors.FLOAT, x, xb + 16 + j), acc);
            }
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }
}
