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
        int upper = cols - cols % (2 * L);
        // Two accumulators: one FMA chain would wait on the FMA latency at every step.
        FloatVector acc0 = FloatVector.zero(Vectors.FLOAT), acc1 = FloatVector.zero(Vectors.FLOAT);
        int c = 0;
        for (; c < upper; c += 2 * L) {
            acc0 = Vectors.floats(data, base + 4L * c).fma(FloatVector.fromArray(Vectors.FLOAT, x, xOffset + c), acc0);
            acc1 = Vectors.floats(data, base + 4L * (c + L)).fma(FloatVector.fromArray(Vectors.FLOAT, x, xOffset + c + L), acc1);
        }
        float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; c < cols; c++) sum += LittleEndian.f32(data, base + 4L * c) * x[xOffset + c];
        return sum;
    }
}
