package r1j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
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
    public void dequantizeRowReference(int row, float[] out, int outOffset) {
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

    /**
     * The 2-bit values of 16-value sub-block {@code s} (0..15), lanes {@code l' ..} of it: half {@code h = s/8},
     * bit pair {@code j = (s/2)%4} of byte {@code qs[32h + 16*(s%2) + l']}. Sub-block {@code s} holds values
     * {@code 16s ..} and uses {@code scales[s]}.
     */
    private IntVector values(long o, int s, int lane) {
        int h = s >> 3, j = (s >> 1) & 3, l = 16 * (s & 1) + lane;
        return Vectors.ints(data, o + 16 + 32L * h + l).lanewise(VectorOperators.LSHR, 2 * j).and(3);
    }

    @Override
    public void dequantizeRow(int row, float[] out, int outOffset) {
        if (!Vectors.QUANTIZED) { dequantizeRowReference(row, out, outOffset); return; }
        long base = (long) row * (cols / BLOCK) * BYTES;
        for (int b = 0; b < cols / BLOCK; b++) {
            long o = base + (long) b * BYTES;
            float d = LittleEndian.f16(data, o + 80);
            float dmin = LittleEndian.f16(data, o + 82);
            for (int s = 0; s < 16; s++) {
                int sc = LittleEndian.u8(data, o + s);
                float dl = d * (sc & 0xF), ml = dmin * (sc >> 4);
                int y = outOffset + b * BLOCK + 16 * s;
                for (int l = 0; l < 16; l += Vectors.L) Vectors.toFloat(values(o, s, l)).mul(dl).sub(ml).intoArray(out, y + l);
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
            float d = LittleEndian.f16(data, o + 80);
            float dmin = LittleEndian.f16(data, o + 82);
            for (int s = 0; s < 16; s++) {
                int sc = LittleEndian.u8(data, o + s);
                float dl = d * (sc & 0xF), ml = dmin * (sc >> 4);
                int xs = xOffset + b * BLOCK + 16 * s;
                for (int l = 0; l < 16; l += Vectors.L) {
                    FloatVector w = Vectors.toFloat(values(o, s, l)).mul(dl).sub(ml);
                    acc = w.fma(FloatVector.fromArray(Vectors.FLOAT, x, xs + l), acc);
                }
            }
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }
}
