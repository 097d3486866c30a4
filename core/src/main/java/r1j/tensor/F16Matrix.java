package r1j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

/** An IEEE half-precision (F16) matrix, widened to float as it is read. */
public record F16Matrix(MemorySegment data, int rows, int cols) implements WeightMatrix {

    public F16Matrix {
        MatrixShape.check(GgmlType.F16, data, rows, cols);
    }

    @Override
    public GgmlType type() { return GgmlType.F16; }

    @Override
    public void dequantizeRow(int row, float[] out, int outOffset) {
        int L = Vectors.L;
        long base = (long) row * cols * 2;
        int upper = cols - cols % L;
        int c = 0;
        for (; c < upper; c += L) Vectors.halfs(data, base + 2L * c).intoArray(out, outOffset + c);
        for (; c < cols; c++) out[outOffset + c] = LittleEndian.f16(data, base + 2L * c);
    }

    @Override
    public void dequantizeRowReference(int row, float[] out, int outOffset) {
        long base = (long) row * cols * 2;
        for (int c = 0; c < cols; c++) out[outOffset + c] = LittleEndian.f16(data, base + 2L * c);
    }

    @Override
    public float dot(int row, float[] x, int xOffset) {
        int L = Vectors.L;
        long base = (long) row * cols * 2;
        int upper = cols - cols % (2 * L);
        // Two accumulators: one FMA chain would wait on the FMA latency at every step.
        FloatVector acc0 = FloatVector.zero(Vectors.FLOAT), acc1 = FloatVector.zero(Vectors.FLOAT);
        int c = 0;
        for (; c < upper; c += 2 * L) {
            acc0 = Vectors.halfs(data, base + 2L * c).fma(FloatVector.fromArray(Vectors.FLOAT, x, xOffset + c), acc0);
            acc1 = Vectors.halfs(data, base + 2L * (c + L)).fma(FloatVector.fromArray(Vectors.FLOAT, x, xOffset + c + L), acc1);
        }
        float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; c < cols; c++) sum += LittleEndian.f16(data, base + 2L * c) * x[xOffset + c];
        return sum;
    }
}
