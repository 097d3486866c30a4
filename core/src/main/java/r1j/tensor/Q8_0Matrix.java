package r1j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

/**
 * Q8_0: blocks of 32 values, 34 bytes each ({@code block_q8_0}): an F16 scale {@code d} then 32 signed bytes
 * {@code qs}; value {@code i} is {@code qs[i] * d}.
 */
public record Q8_0Matrix(MemorySegment data, int rows, int cols) implements WeightMatrix {

    static final int BLOCK = 32;
    static final int BYTES = 34;

    public Q8_0Matrix {
        MatrixShape.check(GgmlType.Q8_0, data, rows, cols);
    }

    @Override
    public GgmlType type() { return GgmlType.Q8_0; }

    @Override
    public void dequantizeRowReference(int row, float[] out, int outOffset) {
        long base = (long) row * (cols / BLOCK) * BYTES;
        for (int b = 0; b < cols / BLOCK; b++) {
            long o = base + (long) b * BYTES;
            float d = LittleEndian.f16(data, o);
            int y = outOffset + b * BLOCK;
            for (int i = 0; i < BLOCK; i++) out[y + i] = LittleEndian.i8(data, o + 2 + i) * d;
        }
    }

    @Override
    public void dequantizeRow(int row, float[] out, int outOffset) {
        if (!Vectors.QUANTIZED) { dequantizeRowReference(row, out, outOffset); return; }
        long base = (long) row * (cols / BLOCK) * BYTES;
        for (int b = 0; b < cols / BLOCK; b++) {
            long o = base + (long) b * BYTES;
            float d = LittleEndian.f16(data, o);
            int y = outOffset + b * BLOCK;
            for (int j = 0; j < BLOCK; j += Vectors.L) Vectors.byteFloats(data, o + 2 + j).mul(d).intoArray(out, y + j);
        }
    }

    @Override
    public float dot(int row, float[] x, int xOffset) {
        if (!Vectors.QUANTIZED) return dotReference(row, x, xOffset);
        long base = (long) row * (cols / BLOCK) * BYTES;
        FloatVector acc = FloatVector.zero(Vectors.FLOAT);
        for (int b = 0; b < cols / BLOCK; b++) {
            long o = base + (long) b * BYTES;
            int xb = xOffset + b * BLOCK;
            FloatVector block = FloatVector.zero(Vectors.FLOAT);
            for (int j = 0; j < BLOCK; j += Vectors.L) {
                FloatVector q = Vectors.byteFloats(data, o + 2 + j);
                block = q.fma(FloatVector.fromArray(Vectors.FLOAT, x, xb + j), block);
            }
            acc = block.fma(FloatVector.broadcast(Vectors.FLOAT, LittleEndian.f16(data, o)), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }
}
