package r1j.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

/**
 * Q2_K: super-blocks of 256 values, 84 bytes each ({@code block_q2_K}):
 * <pre>
 *   0  u8[16]  per 16-value sub-block: scale in the low nibble, min in the high nibble
 *  16  u8[64]  2-bit values, four per byte
 *  80  F16 d (scale of scales), 82  F16 dmin (scale of mins)
 * </pre>
 * Each half {@code h} (128 values) reads 32 bytes {@code qs[32h ..]}; bit pair {@code j} (shift {@code 2j}) of
 * byte {@code l} is value {@code 32j + l} of the half. Sub-block {@code 8h + 2j} covers bytes 0-15 of the pair,
 * {@code 8h + 2j + 1} bytes 16-31. Value = {@code d*(sc & 15) * q - dmin*(sc >> 4)}.
 */
public record Q2_KMatrix(MemorySegment data, int rows, int cols) implements WeightMatrix {

    static final int BLOCK = 256;
    static final int BYTES = 84;

    public Q2_KMatrix {
        MatrixShape.check(GgmlType.Q2_K, data, rows, cols);
    }

    @Override
    public GgmlType type() { return GgmlType.Q2_K; }

    @Override
    public void dequantizeRow(int row, float[] out, int outOffset) {
        long base = (long) row * (cols / BLOCK) * BYTES;
        for (int b = 0; b < cols / BLOCK; b++) {
            long o = base + (long) b * BYTES;
            float d = LittleEndian.f16(data, o + 80);
            float dmin = LittleEndian.f16(data, o + 82);
            int y = outOffset + b * BLOCK;
            for (int h = 0; h < 2; h++) {
                long q = o + 16 + 32L * h;
                for (int j = 0; j < 4; j++) {
                    int shift = 2 * j;
                    for (int half = 0; half < 2; half++) {
                        int sc = LittleEndian.u8(data, o + 8 * h + 2 * j + half);
                        float dl = d * (sc & 0xF), ml = dmin * (sc >> 4);
                        for (int l = 0; l < 16; l++) {
                            int v = (LittleEndian.u8(data, q + 16 * half + l) >> shift) & 3;
                            out[y + 128 * h + 32 * j + 16 * half + l] = dl * v - ml;
                        }
                    }
                }
            }
        }
    }

    @Override
    public float dot(int row, float[] x, int xOffset) {
        if (!Vectors.QUANTIZED) return dotReference(row, x, xOffset);
        int L = Vectors.L;
        long base = (long) row * (cols / BLOCK) * BYTES;
        FloatVector acc = FloatVector.zero(Vectors.FLOAT);
        for (int b = 0; b < cols / BLOCK; b++) {
            long o = base + (long) b * BYTES;
            float d = LittleEndian.f16(data, o + 80);
            float dmin = LittleEndian.f16(data, o + 82);
            for (int h = 0; h < 2; h++) {
                long q = o + 16 + 32L * h;
                int xh = xOffset + b * BLOCK + 128 * h;
                // L divides 16: each step stays inside one 16-value sub-block.
                for (int l = 0; l < 32; l += L) {
                    ByteVector v = Vectors.bytes(data, q + l);
                    int half = l / 16;
                    for (int j = 0; j < 4; j++) {
                        int sc = LittleEndian.u8(data, o + 8 * h + 2 * j + half);
                        float dl = d * (sc & 0xF), ml = dmin * (sc >> 4);
                        FloatVector w = Vectors.toFloat(v.lanewise(VectorOperators.LSHR, 2 * j).and((byte) 3)).mul(dl).sub(ml);
                        acc = w.fma(FloatVector.fromArray(Vectors.FLOAT, x, xh + 32 * j + l), acc);
                    }
                }
            }
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }
}
