package r1j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

/** A bfloat16 matrix: each value is the top 16 bits of a float32. */
public record BF16Matrix(MemorySegment data, int rows, int cols) implements WeightMatrix {

    public BF16Matrix {
        MatrixShape.check(GgmlType.BF16, data, rows, cols);
    }

    @Override
    public GgmlType type() { return GgmlType.BF16; }

    @Override
    public void dequantizeRow(int row, float[] out, int outOffset) {
        int L = Vectors.L;
        long base = (long) row * cols * 2;
        int upper = cols - cols % L;
        int c = 0;
        for (; c < upper; c += L) Vectors.bfloat16s(data, base + 2L * c).intoArray(out, outOffset + c);
        for (; c < cols; c++) out[outOffset + c] = LittleEndian.bf16(data, base + 2L * c);
    }

    @Override
    public void dequantizeRowReference(int row, float[] out, int outOffset) {
        long base = (long) row * cols * 2;
        for (int c = 0; c < cols; c++) out[outOffset + c] = LittleEndian.bf16(data, base + 2L * c);
    }

    @Override
    public float dot(int row, float[] x, int xOffset) {
        int L = Vectors.L;
        long base = (long) row * cols * 2;
        int upper = cols - cols % L;
        FloatVector acc = FloatVector.zero(Vectors.FLOAT);
        int c = 0;
        for (; c < upper; c += L) {
            acc = Vectors.bfloat16s(data, base + 2L * c).fma(FloatVector.fromArray(Vectors.FLOAT, x, xOffset + c), acc);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; c < cols; c++) sum += LittleEndian.bf16(data, base + 2L * c) * x[xOffset + c];
        return sum;
    }
}
