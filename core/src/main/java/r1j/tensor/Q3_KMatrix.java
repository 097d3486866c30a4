package r1j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

/**
 * Q3_K: super-blocks of 256 values, 110 bytes each ({@code block_q3_K}):
 * <pre>
 *    0  u8[32]  hmask: the third bit of each value
 *   32  u8[64]  qs: the low 2 bits, four values per byte
 *   96  u8[12]  sixteen 6-bit scales, stored offset by 32
 *  108  F16 d
 * </pre>
 * Value {@code 128h + 32j + l} (half {@code h}, bit pair {@code j}, {@code l < 32}) takes bits {@code 2j..2j+1} of
 * {@code qs[32h + l]} and bit {@code 4h + j} of {@code hmask[l]}; {@code q = low2 - (hbit ? 0 : 4)} lies in
 * -4..3. Sub-block {@code s = 8h + 2j + l/16} has scale {@code d * (scale[s] - 32)}. Scale {@code s}: low 4 bits
 * from byte {@code s} (s &lt; 8, low nibble) or byte {@code s-8} (high nibble); top 2 bits from byte
 * {@code 8 + s%4}, bits {@code 2*(s/4)}.
 */
public record Q3_KMatrix(MemorySegment data, int rows, int cols) implements WeightMatrix {

    static final int BLOCK = 256;
    static final int BYTES = 110;

    public Q3_KMatrix {
        MatrixShape.check(GgmlType.Q3_K, data, rows, cols);
    }

    @Override
    public GgmlType type() { return GgmlType.Q3_K; }

    /** Sub-block {@code sub}'s signed scale (already minus 32), the scale field at {@code offset}. */
    static int scale(MemorySegment s, long offset, int sub) {
        // Branch-free: low nibble of byte sub%8 for sub < 8, its high nibble for sub >= 8.
        int low = (LittleEndian.u8(s, offset + (sub & 7)) >> (4 * (sub >> 3))) & 0xF;
        int high = (LittleEndian.u8(s, offset + 8 + (sub & 3)) >> (2 * (sub >> 2))) & 3;
        return (low | (high << 4)) - 32;
    }

    @Override
    public void dequantizeRowReference(int row, float[] out, int outOffset) {
        long base = (long) row * (cols / BLOCK) * BYTES;
        for (int b = 0; b < cols / BLOCK; b++) {
            long o = base + (long) b * BYTES;
            float d = LittleEndian.f16(data, o + 108);
            int y = outOffset + b * BLOCK;
            for (int h = 0; h < 2; h++) {
                long q = o + 32 + 32L * h;
                for (int j = 0; j < 4; j++) {
                    int m = 1 << (4 * h + j);
                    for (int l = 0; l < 32; l++) {
                        float dl = d * scale(data, o + 96, 8 * h + 2 * j + l / 16);
                        int low = (LittleEndian.u8(data, q + l) >> (2 * j)) & 3;
                        int v = low - ((LittleEndian.u8(data, o + l) & m) != 0 ? 0 : 4);
                        out[y + 128 * h + 32 * j + l] = dl * v;
                    }
                }
            }
        }
    }

    /**
     * The values {@code low2 - (hbit ? 0 : 4)} of 16-value sub-block {@code s} (0..15), lanes {@code l' ..} of it:
     * half {@code h = s/8}, bit pair {@code j = (s/2)%4}, byte lane {@code l = 16*(s%2) + l'}. Sub-block
     * {@code s} holds values {@code 16s ..} and uses scale {@code s}.
     */
    private IntVector values(long o, int s, int lane) {
        int h = s >> 3, j = (s >> 1) & 3, l = 16 * (s & 1) + lane;
        IntVector low = Vectors.ints(data, o + 32 + 32L * h + l).lanewise(VectorOperators.LSHR, 2 * j).and(3);
        IntVector hbit = Vectors.ints(data, o + l).lanewise(VectorOperators.LSHR, 4 * h + j).and(1);
        // low2 + 4*hbit - 4 subtracts 4 exactly when the high bit is clear.
        return low.add(hbit.lanewise(VectorOperators.LSHL, 2)).sub(4);
    }

    @Override
    public void dequantizeRow(int row, float[] out, int outOffset) {
        if (!Vectors.QUANTIZED) { dequantizeRowReference(row, out, outOffset); return; }
        long base = (long) row * (cols / BLOCK) * BYTES;
        for (int b = 0; b < cols / BLOCK; b++) {
            long o = base + (long) b * BYTES;
            float d = LittleEndian.f16(data, o + 108);
            for (int s = 0; s < 16; s++) {
                float dl = d * scale(data, o + 96, s);
                int y = outOffset + b * BLOCK + 16 * s;
                for (int l = 0; l < 16; l += Vectors.L) Vectors.toFloat(values(o, s, l)).mul(dl).intoArray(out, y + l);
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
            float d = LittleEndian.f16(data, o + 108);
            for (int s = 0; s < 16; s++) {
                float dl = d * scale(data, o + 96, s);
                int xs = xOffset + b * BLOCK + 16 * s;
                for (int l = 0; l < 16; l += Vectors.L) {
                    acc = Vectors.toFloat(values(o, s, l)).mul(dl).fma(FloatVector.fromArray(Vectors.FLOAT, x, xs + l), acc);
                }
            }
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }
}
