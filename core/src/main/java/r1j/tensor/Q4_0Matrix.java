package r1j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

/**
 * Q4_0: blocks of 32 values, 18 bytes each ({@code block_q4_0}): an F16 scale {@code d} then 16 bytes {@code qs}
 * of two 4-bit values. Byte {@code j}'s low nibble is value {@code j}, its high nibble value {@code j+16}; each
 * value is {@code (q - 8) * d}.
 */
public record Q4_0Matrix(MemorySegment data, int rows, int cols) implements WeightMatrix {

    static final int BLOCK = 32;
    static final int BYTES = 18;

    public Q4_0Matrix {
        MatrixShape.check(GgmlType.Q4_0, data, rows, cols);
    }

    @Override
    public GgmlType type() { return GgmlType.Q4_0; }

    @Override
    public void dequantizeRowReference(int row, float[] out, int outOffset) {
        long base = (long) row * (cols / BLOCK) * BYTES;
        for (int b = 0; b < cols / BLOCK; b++) {
            long o = base + (long) b * BYTES;
            float d = LittleEndian.f16(data, o);
            int y = outOffset + b * BLOCK;
            for (int j = 0; j < 16; j++) {
                int q = LittleEndian.u8(data, o + 2 + j);
                out[y + j] = ((q & 0xF) - 8) * d;
                out[y + j + 16] = ((q >> 4) - 8) * d;
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
            int y = outOffset + b * BLOCK;
            for (int j = 0; j < 16; j += Vectors.L) {
                IntVector q = Vectors.ints(data, o + 2 + j);
                Vectors.toFloat(q.and(0xF).sub(8)).mul(d).intoArray(out, y + j);
                Vectors.toFloat(q.lanewise(VectorOperators.LSHR, 4).and(0xF).sub(8)).mul(d).intoArray(out, y + 16 + j);
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
            int xb = xOffset + b * BLOCK;
            FloatVector block = FloatVector.zero(Vectors.FLOAT);
            for (int j = 0; j < 16; j += Vectors.L) {
                IntVector q = Vectors.ints(data, o + 2 + j);
                FloatVector lo = Vectors.toFloat(q.and(0xF).sub(8));
                FloatVector hi = Vectors.toFloat(q.lanewise(VectorOperators.LSHR, 4).and(0xF).sub(8));
                block = lo.fma(FloatVector.fromArray(Vectors.FLOAT, x, xb + j), block);
                block = hi.fma(FloatVector.fromArray(Vectors.FLOAT, x, xb + 16 + j), block);
            }
            acc = block.fma(FloatVector.broadcast(Vectors.FLOAT, LittleEndian.f16(data, o)), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    /**
     * The decode kernel: {@code out[r] = dot(r, x, 0)} for rows {@code from .. to-1}, with the {@code -8} of each
     * block applied once through the prepared sums ({@link Activations}): {@code d * (sum(q*x) - 8*sum(x))}.
     */
    void dotRows(float[] x, float[] sums16, float[] out, int from, int to) {
        if (!Vectors.QUANTIZED) {
            for (int r = from; r < to; r++) out[r] = dotReference(r, x, 0);
            return;
        }
        int blocks = cols / BLOCK;
        for (int r = from; r < to; r++) {
            long base = (long) r * blocks * BYTES;
            FloatVector acc = FloatVector.zero(Vectors.FLOAT);
            float offset = 0f;
            for (int b = 0; b < blocks; b++) {
                long o = base + (long) b * BYTES;
                float d = LittleEndian.f16(data, o);
                FloatVector block = FloatVector.zero(Vectors.FLOAT);
                for (int j = 0; j < 16; j += Vectors.L) {
                    IntVector q = Vectors.ints(data, o + 2 + j);
                    block = Vectors.toFloat(q.and(0xF)).fma(FloatVector.fromArray(Vectors.FLOAT, x, b * BLOCK + j), block);
                    block = Vectors.toFloat(q.lanewise(VectorOperators.LSHR, 4).and(0xF))
                            .fma(FloatVector.fromArray(Vectors.FLOAT, x, b * BLOCK + 16 + j), block);
                }
                acc = block.fma(FloatVector.broadcast(Vectors.FLOAT, d), acc);
                offset += d * (sums16[2 * b] + sums16[2 * b + 1]);
            }
            out[r] = acc.reduceLanes(VectorOperators.ADD) - 8f * offset;
        }
    }
}
