package r1j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

/**
 * Q4_K: super-blocks of 256 values, 144 bytes each ({@code block_q4_K}):
 * <pre>
 *   0  F16 d      scale of the sub-block scales
 *   2  F16 dmin   scale of the sub-block mins
 *   4  u8[12]     eight 6-bit scales and eight 6-bit mins ({@link KScales})
 *  16  u8[128]    4-bit values
 * </pre>
 * The 256 values are 8 sub-blocks of 32. They are stored in four 32-byte chunks of 64 values: chunk {@code g}'s
 * byte {@code l} holds value {@code 64g + l} in its low nibble (sub-block {@code 2g}) and {@code 64g + 32 + l} in
 * its high nibble (sub-block {@code 2g+1}). Value = {@code d*scale[s] * q - dmin*min[s]}.
 */
public record Q4_KMatrix(MemorySegment data, int rows, int cols) implements WeightMatrix {

    static final int BLOCK = 256;
    static final int BYTES = 144;

    public Q4_KMatrix {
        MatrixShape.check(GgmlType.Q4_K, data, rows, cols);
    }

    @Override
    public GgmlType type() { return GgmlType.Q4_K; }

    @Override
    public void dequantizeRowReference(int row, float[] out, int outOffset) {
        long base = (long) row * (cols / BLOCK) * BYTES;
        for (int b = 0; b < cols / BLOCK; b++) {
            long o = base + (long) b * BYTES;
            float d = LittleEndian.f16(data, o);
            float dmin = LittleEndian.f16(data, o + 2);
            int y = outOffset + b * BLOCK;
            for (int g = 0; g < 4; g++) {
                float d1 = d * KScales.scale(data, o + 4, 2 * g), m1 = dmin * KScales.min(data, o + 4, 2 * g);
                float d2 = d * KScales.scale(data, o + 4, 2 * g + 1), m2 = dmin * KScales.min(data, o + 4, 2 * g + 1);
                long q = o + 16 + 32L * g;
                for (int l = 0; l < 32; l++) {
                    int v = LittleEndian.u8(data, q + l);
                    out[y + 64 * g + l] = d1 * (v & 0xF) - m1;
                    out[y + 64 * g + 32 + l] = d2 * (v >> 4) - m2;
                }
            }
        }
    }

    /**
     * The 4-bit values of sub-block {@code s} (0..7), lanes {@code l ..}: low nibbles of chunk {@code s/2} for even
     * {@code s}, high nibbles for odd. One decode path for both halves keeps the kernel small enough for C2 to
     * inline every vector operation (a larger body hits its inlining node limit and boxes vectors).
     */
    private IntVector values(long o, int s, int l) {
        return Vectors.ints(data, o + 16 + 32L * (s >> 1) + l).lanewise(VectorOperators.LSHR, 4 * (s & 1)).and(0xF);
    }

    @Override
    public void dequantizeRow(int row, float[] out, int outOffset) {
        if (!Vectors.QUANTIZED) { dequantizeRowReference(row, out, outOffset); return; }
        long base = (long) row * (cols / BLOCK) * BYTES;
        for (int b = 0; b < cols / BLOCK; b++) {
            long o = base + (long) b * BYTES;
            float d = LittleEndian.f16(data, o);
            float dmin = LittleEndian.f16(data, o + 2);
            int sa = LittleEndian.i32(data, o + 4), sb = LittleEndian.i32(data, o + 8), sc = LittleEndian.i32(data, o + 12);
            for (int g = 0; g < 4; g++) {
                float d1 = d * KScales.scale(sa, sc, 2 * g), m1 = dmin * KScales.min(sb, sc, 2 * g);
                float d2 = d * KScales.scale(sa, sc, 2 * g + 1), m2 = dmin * KScales.min(sb, sc, 2 * g + 1);
                int y = outOffset + b * BLOCK + 64 * g;
                for (int l = 0; l < 32; l += Vectors.L) {
                    IntVector q = Vectors.ints(data, o + 16 + 32L * g + l);
                    Vectors.toFloat(q.and(0xF)).mul(d1).sub(m1).intoArray(out, y + l);
                    Vectors.toFloat(q.lanewise(VectorOperators.LSHR, 4).and(0xF)).mul(d2).sub(m2).intoArray(out, y + 32 + l);
                }
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
            float d = LittleEndian.f16(data, o);
            float dmin = LittleEndian.f16(data, o + 2);
            for (int s = 0; s < 8; s++) {
                float dl = d * KScales.scale(data, o + 4, s), ml = dmin * KScales.min(data, o + 4, s);
                int xs = xOffset + b * BLOCK + 32 * s;
                for (int l = 0; l < 32; l += Vectors.L) {
                    FloatVector w = Vectors.toFloat(values(o, s, l)).mul(dl).sub(ml);
                    acc = w.fma(FloatVector.fromArray(Vectors.FLOAT, x, xs + l), acc);
                }
            }
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    /**
     * The decode kernel: {@code out[r] = dot(r, x, 0)} for rows {@code from .. to-1}. Each sub-block's scale
     * multiplies its whole partial sum once, and its min is applied once through the prepared sums
     * ({@link Activations}): {@code d*scale * sum(q*x) - dmin*min * sum(x)}, so the inner loop is one FMA per
     * vector. A chunk's 32 bytes are widened once for both of its sub-blocks (low and high nibbles), and the scale
     * field is read as three words once per super-block.
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
            float mins = 0f;
            for (int b = 0; b < blocks; b++) {
                long o = base + (long) b * BYTES;
                float d = LittleEndian.f16(data, o);
                float dmin = LittleEndian.f16(data, o + 2);
                int sa = LittleEndian.i32(data, o + 4), sb = LittleEndian.i32(data, o + 8), sc = LittleEndian.i32(data, o + 12);
                for (int g = 0; g < 4; g++) {
                    int xs = b * BLOCK + 64 * g;
                    FloatVector lo = FloatVector.zero(Vectors.FLOAT), hi = lo;
                    for (int l = 0; l < 32; l += Vectors.L) {
                        IntVector q = Vectors.ints(data, o + 16 + 32L * g + l);
                        lo = Vectors.toFloat(q.and(0xF)).fma(FloatVector.fromArray(Vectors.FLOAT, x, xs + l), lo);
                        hi = Vectors.toFloat(q.lanewise(VectorOperators.LSHR, 4).and(0xF)).fma(FloatVector.fromArray(Vectors.FLOAT, x, xs + 32 + l), hi);
                    }
                    acc = lo.fma(FloatVector.broadcast(Vectors.FLOAT, d * KScales.scale(sa, sc, 2 * g)), acc);
                    acc = hi.fma(FloatVector.broadcast(Vectors.FLOAT, d * KScales.scale(sa, sc, 2 * g + 1)), acc);
                    mins += dmin * (KScales.min(sb, sc, 2 * g) * (sums16[xs / 16] + sums16[xs / 16 + 1])
                            + KScales.min(sb, sc, 2 * g + 1) * (sums16[xs / 16 + 2] + sums16[xs / 16 + 3]));
                }
            }
            out[r] = acc.reduceLanes(VectorOperators.ADD) - mins;
        }
    }
}
