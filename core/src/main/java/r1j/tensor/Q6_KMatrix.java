package r1j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

/**
 * Q6_K: super-blocks of 256 values, 210 bytes each ({@code block_q6_K}):
 * <pre>
 *    0  u8[128]  ql: low 4 bits of each value
 *  128  u8[64]   qh: high 2 bits, four values per byte
 *  192  i8[16]   scales, one per 16 values
 *  208  F16 d
 * </pre>
 * Each half {@code h} (128 values) uses {@code ql[64h ..]}, {@code qh[32h ..]} and {@code scales[8h ..]}. For
 * {@code l < 32}: value {@code l} is ql[l] low nibble with qh[l] bits 0-1, value {@code 32+l} ql[l+32] low nibble
 * with qh[l] bits 2-3, value {@code 64+l} ql[l] high nibble with qh[l] bits 4-5, value {@code 96+l} ql[l+32] high
 * nibble with qh[l] bits 6-7. The 6-bit {@code q} gives {@code d * scale * (q - 32)}, where value {@code v} of the
 * half uses {@code scales[v / 16]}.
 */
public record Q6_KMatrix(MemorySegment data, int rows, int cols) implements WeightMatrix {

    static final int BLOCK = 256;
    static final int BYTES = 210;

    public Q6_KMatrix {
        MatrixShape.check(GgmlType.Q6_K, data, rows, cols);
    }

    @Override
    public GgmlType type() { return GgmlType.Q6_K; }

    @Override
    public void dequantizeRowReference(int row, float[] out, int outOffset) {
        long base = (long) row * (cols / BLOCK) * BYTES;
        byte[] q = new byte[BLOCK];
        for (int b = 0; b < cols / BLOCK; b++) {
            long o = base + (long) b * BYTES;
            float d = LittleEndian.f16(data, o + 208);
            values(data, o, q);
            for (int c = 0; c < BLOCK; c++) out[outOffset + b * BLOCK + c] = d * LittleEndian.i8(data, o + 192 + c / 16) * q[c];
        }
    }

    /**
     * The 256 values {@code q - 32} of the {@code block_q6_K} at {@code block[o]}, in column order: the scalar
     * decoding of the format, shared by this reference and {@link Interleaved6Matrix}'s repack.
     */
    static void values(MemorySegment block, long o, byte[] q) {
        for (int h = 0; h < 2; h++) {
            long ql = o + 64L * h, qh = o + 128 + 32L * h;
            int y = 128 * h;
            for (int l = 0; l < 32; l++) {
                int lo = LittleEndian.u8(block, ql + l), lo2 = LittleEndian.u8(block, ql + l + 32);
                int hb = LittleEndian.u8(block, qh + l);
                q[y + l] = (byte) (((lo & 0xF) | ((hb & 3) << 4)) - 32);
                q[y + l + 32] = (byte) (((lo2 & 0xF) | (((hb >> 2) & 3) << 4)) - 32);
                q[y + l + 64] = (byte) (((lo >> 4) | (((hb >> 4) & 3) << 4)) - 32);
                q[y + l + 96] = (byte) (((lo2 >> 4) | (((hb >> 6) & 3) << 4)) - 32);
            }
        }
    }

    @Override
    public void dequantizeRow(int row, float[] out, int outOffset) {
        if (!Vectors.QUANTIZED) { dequantizeRowReference(row, out, outOffset); return; }
        long base = (long) row * (cols / BLOCK) * BYTES;
        for (int b = 0; b < cols / BLOCK; b++) {
            long o = base + (long) b * BYTES;
            float d = LittleEndian.f16(data, o + 208);
            for (int h = 0; h < 2; h++) {
                for (int k = 0; k < 2; k++) {
                    for (int l = 0; l < 32; l += Vectors.L) quarterPairInto(o, h, k, l, d, out, outOffset + b * BLOCK + 128 * h);
                }
            }
        }
    }

    /** {@link #quarterPair}'s two decoded quarters written to {@code out[yh + ...]} (yh: the half's first value). */
    private void quarterPairInto(long o, int h, int k, int l, float d, float[] out, int yh) {
        IntVector ql = Vectors.ints(data, o + 64L * h + 32 * k + l);
        IntVector qh = Vectors.ints(data, o + 128 + 32L * h + l);
        IntVector a = ql.and(0xF).or(qh.lanewise(VectorOperators.LSHR, 2 * k).and(3).lanewise(VectorOperators.LSHL, 4)).sub(32);
        IntVector c = ql.lanewise(VectorOperators.LSHR, 4).and(0xF)
                .or(qh.lanewise(VectorOperators.LSHR, 2 * k + 4).and(3).lanewise(VectorOperators.LSHL, 4)).sub(32);
        float da = d * LittleEndian.i8(data, o + 192 + 8L * h + 2 * k + (l >> 4));
        float dc = d * LittleEndian.i8(data, o + 192 + 8L * h + 2 * k + 4 + (l >> 4));
        Vectors.toFloat(a).mul(da).intoArray(out, yh + 32 * k + l);
        Vectors.toFloat(c).mul(dc).intoArray(out, yh + 64 + 32 * k + l);
    }

    @Override
    public float dot(int row, float[] x, int xOffset) {
        if (!Vectors.QUANTIZED) return dotReference(row, x, xOffset);
        long base = (long) row * (cols / BLOCK) * BYTES;
        FloatVector acc = FloatVector.zero(Vectors.FLOAT);
        for (int b = 0; b < cols / BLOCK; b++) {
            long o = base + (long) b * BYTES;
            float d = LittleEndian.f16(data, o + 208);
            for (int h = 0; h < 2; h++) {
                for (int k = 0; k < 2; k++) {
                    for (int l = 0; l < 32; l += Vectors.L) {
                        acc = quarterPair(o, h, k, l, d, x, xOffset + b * BLOCK + 128 * h, acc);
                    }
                }
            }
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    /**
     * Quarters {@code k} and {@code k+2} of half {@code h}, lanes {@code l ..}: both take their low bits from the same
     * {@code ql} bytes (low and high nibble) and their high bits from the same {@code qh} bytes, so one pair of
     * loads serves two sub-blocks. Adds their products with {@code x[xh + ...]} (xh: the half's first value) to acc.
     */
    private FloatVector quarterPair(long o, int h, int k, int l, float d, float[] x, int xh, FloatVector acc) {
        IntVector ql = Vectors.ints(data, o + 64L * h + 32 * k + l);
        IntVector qh = Vectors.ints(data, o + 128 + 32L * h + l);
        IntVector a = ql.and(0xF).or(qh.lanewise(VectorOperators.LSHR, 2 * k).and(3).lanewise(VectorOperators.LSHL, 4)).sub(32);
        IntVector c = ql.lanewise(VectorOperators.LSHR, 4).and(0xF)
                .or(qh.lanewise(VectorOperators.LSHR, 2 * k + 4).and(3).lanewise(VectorOperators.LSHL, 4)).sub(32);
        float da = d * LittleEndian.i8(data, o + 192 + 8L * h + 2 * k + (l >> 4));
        float dc = d * LittleEndian.i8(data, o + 192 + 8L * h + 2 * k + 4 + (l >> 4));
        acc = Vectors.toFloat(a).mul(da).fma(FloatVector.fromArray(Vectors.FLOAT, x, xh + 32 * k + l), acc);
        return Vectors.toFloat(c).mul(dc).fma(FloatVector.fromArray(Vectors.FLOAT, x, xh + 64 + 32 * k + l), acc);
    }

}
