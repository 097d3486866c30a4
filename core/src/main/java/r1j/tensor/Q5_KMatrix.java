package r1j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

/**
 * Q5_K: super-blocks of 256 values, 176 bytes each ({@code block_q5_K}):
 * <pre>
 *   0  F16 d, 2  F16 dmin
 *   4  u8[12]   eight 6-bit scales and mins ({@link KScales}), one pair per 32-value sub-block
 *  16  u8[32]   qh: fifth bits
 *  48  u8[128]  qs: low nibbles, arranged as in Q4_K
 * </pre>
 * Chunk {@code g} (64 values) takes its low nibbles from {@code qs[32g + l]} (low nibble: value {@code 64g+l},
 * high nibble: value {@code 64g+32+l}) and their fifth bits from {@code qh[l]} bit {@code 2g} and {@code 2g+1}.
 * Value = {@code d*scale[s] * q - dmin*min[s]} with {@code q} in 0..31.
 */
public record Q5_KMatrix(MemorySegment data, int rows, int cols) implements WeightMatrix {

    static final int BLOCK = 256;
    static final int BYTES = 176;

    public Q5_KMatrix {
        MatrixShape.check(GgmlType.Q5_K, data, rows, cols);
    }

    @Override
    public GgmlType type() { return GgmlType.Q5_K; }

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
                long q = o + 48 + 32L * g;
                for (int l = 0; l < 32; l++) {
                    int v = LittleEndian.u8(data, q + l);
                    int h = LittleEndian.u8(data, o + 16 + l);
                    out[y + 64 * g + l] = d1 * ((v & 0xF) + (((h >> (2 * g)) & 1) << 4)) - m1;
                    out[y + 64 * g + 32 + l] = d2 * ((v >> 4) + (((h >> (2 * g + 1)) & 1) << 4)) - m2;
                }
            }
        }
    }

    /**
     * The 5-bit values of sub-block {@code s} (0..7), lanes {@code l ..}: nibble {@code s&1} of chunk {@code s/2}
     * plus bit {@code s} of {@code qh}. One decode path for both halves keeps the kernel small enough for C2 to
     * inline every vector operation (a larger body hits its inlining node limit and boxes vectors).
     */
    private IntVector values(long o, int s, int l) {
        IntVector low = Vectors.ints(data, o + 48 + 32L * (s >> 1) + l).lanewise(VectorOperators.LSHR, 4 * (s & 1)).and(0xF);
        IntVector high = Vectors.ints(data, o + 16 + l).lanewise(VectorOperators.LSHR, s).and(1).lanewise(VectorOperators.LSHL, 4);
        return low.or(high);
    }

    @Override
    public void dequantizeRow(int row, float[] out, int outOffset) {
        if (!Vectors.QUANTIZED) { dequantizeRowReference(row, out, outOffset); return; }
        long base = (long) row * (cols / BLOCK) * BYTES;
        for (int b = 0; b < cols / BLOCK; b++) {
            long o = base + (long) b * BYTES;
            float d = LittleEndian.f16(data, o);
            float dmin = LittleEndian.f16(data, o + 2);
            for (int s = 0; s < 8; s++) {
                float dl = d * KScales.scale(data, o + 4, s), ml = dmin * KScales.min(data, o + 4, s);
                int y = outOffset + b * BLOCK + 32 * s;
                for (int l = 0; l < 32; l += Vectors.L) Vectors.toFloat(values(o, s, l)).mul(dl).sub(ml).intoArray(out, y + l);
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
     * The decode kernel: {@code out[r] = dot(r, x, 0)} for rows {@code from .. to-1}, with each sub-block's scale
     * applied once to its partial sum and its min once through the prepared sums ({@link Activations}), as in
     * {@link Q4_KMatrix#dotRows}.
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
                for (int s = 0; s < 8; s++) {
                    int xs = b * BLOCK + 32 * s;
                    FloatVector sub = FloatVector.zero(Vectors.FLOAT);
                    for (int l = 0; l < 32; l += Vectors.L) {
                        sub = Vectors.toFloat(values(o, s, l)).fma(FloatVector.fromArray(Vectors.FLOAT, x, xs + l), sub);
                    }
                    acc = sub.fma(FloatVector.broadcast(Vectors.FLOAT, d * KScales.scale(sa, sc, s)), acc);
                    mins += dmin * KScales.min(sb, sc, s) * (sums16[xs / 16] + sums16[xs / 16 + 1]);
                }
            }
            out[r] = acc.reduceLanes(VectorOperators.ADD) - mins;
        }
    }
}
