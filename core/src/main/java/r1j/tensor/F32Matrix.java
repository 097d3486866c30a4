package r1j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

/** A plain little-endian float32 matrix. */
public record F32Matrix(MemorySegment data, int rows, int cols) implements WeightMatrix {

    public F32Matrix {
        MatrixShape.check(GgmlType.F32, data, rows, cols);
    }

    @Override
    public GgmlType type() { return GgmlType.F32; }

    @Override
    public void dequantizeRow(int row, float[] out, int outOffset) {
        MemorySegment.copy(data, LittleEndian.FLOAT, (long) row * cols * 4, out, outOffset, cols);
    }

    @Override
    public void dequantizeRowReference(int row, float[] out, int outOffset) {
        long base = (long) row * cols * 4;
        for (int c = 0; c < cols; c++) out[outOffset + c] = LittleEndian.f32(data, base + 4L * c);
    }

    @Override
    public float dot(int row, float[] x, int xOffset) {
        int L = Vectors.L;
        long base = (long) row * cols * 4;
        int upper = cols - cols % L;
        FloatVector acc = FloatVector.zero(Vectors.FLOAT);
        int c = 0;
        for (; c < upper; c += L) {
            acc = Vectors.floats(data, base + 4L * c).fma(FloatVector.fromArray(Vectors.FLOAT, x, xOffset + c), acc);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; c < cols; c++) sum += LittleEndian.f32(data, base + 4L * c) * x[xOffset + c];
        return sum;
    }
}
