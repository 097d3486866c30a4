package r1j.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * A Q4_0 or Q4_K matrix repacked at load so that one vector holds one column of {@link #G} consecutive rows:
 * "rows in lanes". The decode kernel then needs no horizontal sum and no per-row scale broadcast, and multiplies
 * 4-bit weights by 8-bit activations in 16-bit lanes — {@code 2L} products per instruction where the F32 path
 * makes {@code L} — which is what makes one-token decode fast enough to be bound by memory, not by the vector
 * units (BENCHMARKS.md, "Interleaved 4-bit kernels"). llama.cpp repacks Q4_0 the same way for the same reason.
 *
 * <p>Layout, for each group of {@code G} rows (G = 2 × the float lanes: 32 with AVX-512, 16 with AVX2) and each
 * run of 32 columns ("block"), nibble part: 16 column pairs of {@code G} bytes; byte {@code k} of pair {@code j}
 * holds row {@code k}'s value of column {@code j} in its low nibble and of column {@code j+16} in its high nibble
 * (the byte order of a {@code block_q4_0}, transposed). Scales:
 * <ul>
 * <li>Q4_0, per block: {@code G} F16 scales {@code d}, then the nibbles; value = {@code d*q - 8d}. 18 bytes per row
 * and block, as in the file.
 * <li>Q4_K, per 256 columns: {@code G} F16 {@code d}, {@code G} F16 {@code dmin}, then for each of the 8 sub-blocks
 * {@code G} bytes of 6-bit scales and {@code G} bytes of 6-bit mins (unpacked from {@link KScales}), then the 8
 * blocks' nibbles; value = {@code (d*scale)*q - dmin*min}. 148 bytes per row and 256 columns (the file has 144).
 * </ul>
 *
 * <p>Decode ({@code n = 1}): activations quantized per 32 values to 8 bits ({@link Activations#quantize}, as
 * llama.cpp quantizes them to Q8_0); 16 products of at most 15 × 127 are summed in 16-bit lanes without overflow,
 * then widened, scaled and accumulated in F32. Results match {@code dequantize(W) · x} up to that activation
 * rounding (the golden README's "native" tolerance). Several activation rows (prefill, batched decode): each
 * group's weights are dequantized, 256 columns at a time, to an F32 panel and multiplied in F32 by a
 * rows-in-lanes register tile: {@code dequantize(W) · x} up to summation order, as the other types.
 */
public final class Interleaved4Matrix implements WeightMatrix {

    private static final VectorSpecies<Float> F = Vectors.FLOAT;
    private static final int L = Vectors.L;
    /** Rows per group: the lanes of a full-width short vector. */
    static final int G = 2 * L;
    private static final VectorSpecies<Short> SHORTS = VectorSpecies.of(short.class, VectorShape.forBitSize(G * 16));
    private static final VectorSpecies<Byte> BYTES_G = VectorSpecies.of(byte.class, VectorShape.forBitSize(G * 8));
    private static final VectorSpecies<Integer> INTS = Vectors.INT;
    private static final VectorSpecies<Short> HALF_SHORTS = Vectors.SHORT;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    /**
     * F16 → F32 in vector lanes, written out at each use (a helper returning a vector is not always inlined by C2,
     * and a vector that leaves compiled code is boxed): a sign-extended half shifted left by 13 has its sign in bit
     * 31 and its exponent and mantissa in float position; this mask drops the sign copies between them, and a
     * multiply by 2^112 rebiases the exponent (exact for normal and subnormal halves).
     */
    private static final int F16_BITS = 0x8FFFE000;
    /** Columns dequantized per panel in the several-rows path: a multiple of Q4_K's 256. */
    private static final int PANEL_COLS = RowGroupPanels.COLS;

    private final GgmlType type;
    private final MemorySegment data;
    private final int rows, cols;

    private Interleaved4Matrix(GgmlType type, MemorySegment data, int rows, int cols) {
        this.type = type;
        this.data = data;
        this.rows = rows;
        this.cols = cols;
    }

    /** Whether {@code w} can be repacked: Q4_0 or Q4_K, whole groups of rows, vectors of at least 8 float lanes. */
    public static boolean canRepack(WeightMatrix w) {
        return Vectors.QUANTIZED && L >= 8 && w.rows() % G == 0
                && (w.type() == GgmlType.Q4_0 || w.type() == GgmlType.Q4_K);
    }

    /** Bytes one group of rows takes per run of 32 columns (Q4_0) or 256 columns (Q4_K). */
    private static long groupUnitBytes(GgmlType type) {
        return type == GgmlType.Q4_0 ? 18L * G : 148L * G;
    }

    private long groupBytes() {
        return type == GgmlType.Q4_0 ? groupUnitBytes(type) * (cols / 32) : groupUnitBytes(type) * (cols / 256);
    }

    /**
     * {@code w} repacked into memory of {@code arena}, reading its blocks through {@code source} (which may read
     * them from the file instead of the mapping, so the mapped pages never become resident).
     *
     * @throws IllegalArgumentException if {@link #canRepack} is false
     */
    public static Interleaved4Matrix repack(WeightMatrix w, RowSource source, Arena arena) {
        if (!canRepack(w)) throw new IllegalArgumentException("cannot repack a %s matrix of %d rows".formatted(w.type(), w.rows()));
        int rows = w.rows(), cols = w.cols();
        int rowBytes = (int) w.rowBytes();
        Interleaved4Matrix m = new Interleaved4Matrix(w.type(), null, rows, cols);
        long groupBytes = m.groupBytes();
        MemorySegment out = arena.allocate(groupBytes * (rows / G), 64);
        byte[] src = new byte[G * rowBytes];
        byte[] dst = new byte[(int) groupBytes];
        for (int g = 0; g < rows / G; g++) {
            source.read(g * G, G, src);
            if (w.type() == GgmlType.Q4_0) packQ4_0(src, rowBytes, cols, dst); else packQ4_K(src, rowBytes, cols, dst);
            MemorySegment.copy(MemorySegment.ofArray(dst), 0, out, g * groupBytes, groupBytes);
        }
        return new Interleaved4Matrix(w.type(), out, rows, cols);
    }

    private static void packQ4_0(byte[] src, int rowBytes, int cols, byte[] dst) {
        int o = 0;
        for (int b = 0; b < cols / 32; b++) {
            for (int k = 0; k < G; k++) {
                int s = k * rowBytes + b * 18;
                dst[o + 2 * k] = src[s];
                dst[o + 2 * k + 1] = src[s + 1];
            }
            o += 2 * G;
            for (int j = 0; j < 16; j++) {
                for (int k = 0; k < G; k++) dst[o + k] = src[k * rowBytes + b * 18 + 2 + j];
                o += G;
            }
        }
    }

    private static void packQ4_K(byte[] src, int rowBytes, int cols, byte[] dst) {
        int o = 0;
        for (int sb = 0; sb < cols / 256; sb++) {
            for (int k = 0; k < G; k++) {
                int s = k * rowBytes + sb * 144;
                dst[o + 2 * k] = src[s];
                dst[o + 2 * k + 1] = src[s + 1];
                dst[o + 2 * G + 2 * k] = src[s + 2];
                dst[o + 2 * G + 2 * k + 1] = src[s + 3];
                int sa = int32(src, s + 4), sm = int32(src, s + 8), sc = int32(src, s + 12);
                for (int sub = 0; sub < 8; sub++) {
                    dst[o + 4 * G + 2 * sub * G + k] = (byte) KScales.scale(sa, sc, sub);
                    dst[o + 4 * G + (2 * sub + 1) * G + k] = (byte) KScales.min(sm, sc, sub);
                }
            }
            o += 20 * G;
            for (int sub = 0; sub < 8; sub++) {
                // sub-block s: chunk s/2, low nibbles for even s, high for odd; column pairs (j, j+16) of the sub-block
                int chunk = sub >> 1, shift = 4 * (sub & 1);
                for (int j = 0; j < 16; j++) {
                    for (int k = 0; k < G; k++) {
                        int s = k * rowBytes + sb * 144 + 16 + 32 * chunk;
                        int lo = (src[s + j] >> shift) & 0xF, hi = (src[s + j + 16] >> shift) & 0xF;
                        dst[o + k] = (byte) (lo | hi << 4);
                    }
                    o += G;
                }
            }
        }
    }

    private static int int32(byte[] a, int i) {
        return (a[i] & 0xFF) | (a[i + 1] & 0xFF) << 8 | (a[i + 2] & 0xFF) << 16 | (a[i + 3] & 0xFF) << 24;
    }

    @Override
    public GgmlType type() { return type; }

    @Override
    public int rows() { return rows; }

    @Override
    public int cols() { return cols; }

    /** The repacked bytes (not the file's block layout). */
    @Override
    public MemorySegment data() { return data; }

    @Override
    public long rowBytes() { return groupBytes() / G; }

    @Override
    public WeightMatrix rowRange(int from, int count) {
        throw new UnsupportedOperationException("row ranges of a repacked matrix are not supported; ranges are taken before repacking");
    }

    // ---- scalar reference: decode one value from the repacked layout, with the file format's formula ----

    @Override
    public void dequantizeRowReference(int row, float[] out, int outOffset) {
        int g = row / G, k = row % G;
        long base = g * groupBytes();
        if (type == GgmlType.Q4_0) {
            for (int b = 0; b < cols / 32; b++) {
                long p = base + b * groupUnitBytes(type);
                float d = LittleEndian.f16(data, p + 2L * k);
                for (int j = 0; j < 16; j++) {
                    int v = LittleEndian.u8(data, p + 2L * G + (long) G * j + k);
                    out[outOffset + b * 32 + j] = ((v & 0xF) - 8) * d;
                    out[outOffset + b * 32 + j + 16] = ((v >> 4) - 8) * d;
                }
            }
        } else {
            for (int sb = 0; sb < cols / 256; sb++) {
                long p = base + sb * groupUnitBytes(type);
                float d = LittleEndian.f16(data, p + 2L * k), dmin = LittleEndian.f16(data, p + 2L * G + 2L * k);
                for (int sub = 0; sub < 8; sub++) {
                    float dl = d * LittleEndian.u8(data, p + 4L * G + 2L * sub * G + k);
                    float ml = dmin * LittleEndian.u8(data, p + 4L * G + (2L * sub + 1) * G + k);
                    for (int j = 0; j < 16; j++) {
                        int v = LittleEndian.u8(data, p + 20L * G + 16L * G * sub + (long) G * j + k);
                        out[outOffset + sb * 256 + sub * 32 + j] = dl * (v & 0xF) - ml;
                        out[outOffset + sb * 256 + sub * 32 + j + 16] = dl * (v >> 4) - ml;
                    }
                }
            }
        }
    }

    /** The same values as {@link #dequantizeRowReference}: a row is spread over its group, so there is no faster path. */
    @Override
    public void dequantizeRow(int row, float[] out, int outOffset) {
        dequantizeRowReference(row, out, outOffset);
    }

    @Override
    public float dot(int row, float[] x, int xOffset) {
        return dotReference(row, x, xOffset);
    }

    // ---- decode: one activation row, 8-bit activations, 16-bit products ----

    /**
     * {@code out[i*rows + r] ≈ dot(r, x, i*cols)} for {@code i < n} and rows {@code from .. to-1} (multiples of
     * {@link #G}), from the activations' 8-bit form ({@link Activations#quantize}): {@code xq [n][cols]} the values,
     * {@code dx [n][cols/32]} the scales, {@code xsum [n][cols/32]} = scale × sum of the run's values. Each group
     * serves all {@code n} rows while its weights are in L1/L2, so a few sequences decoding together read the
     * weights from memory once.
     */
    void dotRows(short[] xq, float[] dx, float[] xsum, int n, float[] out, int from, int to) {
        int runs = cols / 32;
        float[] header = RowGroupPanels.scratch(); // the panel is not used on this path
        for (int g = from / G; g < to / G; g++) {
            int i = 0;
            if (type == GgmlType.Q4_0) {
                for (; i + 4 <= n; i += 4) groupDotQ4_0x4(g, xq, i, dx, xsum, out);
            } else {
                for (; i + 4 <= n; i += 4) groupDotQ4_Kx4(g, xq, i, dx, xsum, out, header);
            }
            for (; i < n; i++) {
                if (type == GgmlType.Q4_0) groupDotQ4_0(g, xq, i * cols, dx, xsum, i * runs, out, i * rows);
                else groupDotQ4_K(g, xq, i * cols, dx, xsum, i * runs, out, i * rows, header);
            }
        }
    }

    /** Group {@code g} times one activation row: {@code xq[xo ..]}, {@code dx[bo ..]}, into {@code out[oo + g*G ..]}. */
    private void groupDotQ4_0(int g, short[] xq, int xo, float[] dx, float[] xsum, int bo, float[] out, int oo) {
        int blocks = cols / 32;
        long unit = groupUnitBytes(type), groupBytes = groupBytes();
        {
            long base = g * groupBytes;
            FloatVector acc0 = FloatVector.zero(F), acc1 = acc0;
            for (int b = 0; b < blocks; b++) {
                long p = base + b * unit;
                ShortVector lo = ShortVector.zero(SHORTS), hi = lo;
                long nib = p + 2L * G;
                int xb = xo + 32 * b;
                for (int j = 0; j < 16; j++) {
                    ShortVector q = (ShortVector) ByteVector.fromMemorySegment(BYTES_G, data, nib + (long) G * j, LE).convertShape(VectorOperators.ZERO_EXTEND_B2S, SHORTS, 0);
                    lo = q.and((short) 0xF).mul(xq[xb + j]).add(lo);
                    hi = q.lanewise(VectorOperators.LSHR, 4).mul(xq[xb + 16 + j]).add(hi);
                }
                float scale = dx[bo + b], offset = 8f * xsum[bo + b];
                acc0 = ((FloatVector) ((IntVector) lo.convertShape(VectorOperators.S2I, INTS, 0)).add((IntVector) hi.convertShape(VectorOperators.S2I, INTS, 0)).convertShape(VectorOperators.I2F, F, 0)).mul(scale).sub(offset).fma(((IntVector) ShortVector.fromMemorySegment(HALF_SHORTS, data, p, LE).convertShape(VectorOperators.S2I, INTS, 0)).lanewise(VectorOperators.LSHL, 13).and(F16_BITS).reinterpretAsFloats().mul(0x1p112f), acc0);
                acc1 = ((FloatVector) ((IntVector) lo.convertShape(VectorOperators.S2I, INTS, 1)).add((IntVector) hi.convertShape(VectorOperators.S2I, INTS, 1)).convertShape(VectorOperators.I2F, F, 0)).mul(scale).sub(offset).fma(((IntVector) ShortVector.fromMemorySegment(HALF_SHORTS, data, p + L * 2L, LE).convertShape(VectorOperators.S2I, INTS, 0)).lanewise(VectorOperators.LSHL, 13).and(F16_BITS).reinterpretAsFloats().mul(0x1p112f), acc1);
            }
            acc0.intoArray(out, oo + g * G);
            acc1.intoArray(out, oo + g * G + L);
        }
    }

    /**
     * Group {@code g} times activation rows {@code i .. i+3}: as {@link #groupDotQ4_0} four times, but each weight
     * vector is loaded and split into its two nibbles once for the four rows.
     */
    private void groupDotQ4_0x4(int g, short[] xq, int i, float[] dx, float[] xsum, float[] out) {
        int blocks = cols / 32;
        long unit = groupUnitBytes(type), base = g * groupBytes();
        int x0 = i * cols, x1 = x0 + cols, x2 = x1 + cols, x3 = x2 + cols;
        int r0 = i * blocks, r1 = r0 + blocks, r2 = r1 + blocks, r3 = r2 + blocks;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
        for (int b = 0; b < blocks; b++) {
            long p = base + b * unit, nib = p + 2L * G;
            // low and high nibbles' products apart: 16 of them fit 16 bits, 32 would not
            ShortVector l0 = ShortVector.zero(SHORTS), l1 = l0, l2 = l0, l3 = l0, h0 = l0, h1 = l0, h2 = l0, h3 = l0;
            int c = 32 * b;
            for (int j = 0; j < 16; j++) {
                ShortVector q = (ShortVector) ByteVector.fromMemorySegment(BYTES_G, data, nib + (long) G * j, LE).convertShape(VectorOperators.ZERO_EXTEND_B2S, SHORTS, 0);
                ShortVector lo = q.and((short) 0xF), hi = q.lanewise(VectorOperators.LSHR, 4);
                l0 = lo.mul(xq[x0 + c + j]).add(l0);
                h0 = hi.mul(xq[x0 + c + 16 + j]).add(h0);
                l1 = lo.mul(xq[x1 + c + j]).add(l1);
                h1 = hi.mul(xq[x1 + c + 16 + j]).add(h1);
                l2 = lo.mul(xq[x2 + c + j]).add(l2);
                h2 = hi.mul(xq[x2 + c + 16 + j]).add(h2);
                l3 = lo.mul(xq[x3 + c + j]).add(l3);
                h3 = hi.mul(xq[x3 + c + 16 + j]).add(h3);
            }
            FloatVector d0 = ((IntVector) ShortVector.fromMemorySegment(HALF_SHORTS, data, p, LE).convertShape(VectorOperators.S2I, INTS, 0)).lanewise(VectorOperators.LSHL, 13).and(F16_BITS).reinterpretAsFloats().mul(0x1p112f);
            FloatVector d1 = ((IntVector) ShortVector.fromMemorySegment(HALF_SHORTS, data, p + 2L * L, LE).convertShape(VectorOperators.S2I, INTS, 0)).lanewise(VectorOperators.LSHL, 13).and(F16_BITS).reinterpretAsFloats().mul(0x1p112f);
            a00 = ((FloatVector) ((IntVector) l0.convertShape(VectorOperators.S2I, INTS, 0)).add((IntVector) h0.convertShape(VectorOperators.S2I, INTS, 0)).convertShape(VectorOperators.I2F, F, 0)).mul(dx[r0 + b]).sub(8f * xsum[r0 + b]).fma(d0, a00);
            a01 = ((FloatVector) ((IntVector) l0.convertShape(VectorOperators.S2I, INTS, 1)).add((IntVector) h0.convertShape(VectorOperators.S2I, INTS, 1)).convertShape(VectorOperators.I2F, F, 0)).mul(dx[r0 + b]).sub(8f * xsum[r0 + b]).fma(d1, a01);
            a10 = ((FloatVector) ((IntVector) l1.convertShape(VectorOperators.S2I, INTS, 0)).add((IntVector) h1.convertShape(VectorOperators.S2I, INTS, 0)).convertShape(VectorOperators.I2F, F, 0)).mul(dx[r1 + b]).sub(8f * xsum[r1 + b]).fma(d0, a10);
            a11 = ((FloatVector) ((IntVector) l1.convertShape(VectorOperators.S2I, INTS, 1)).add((IntVector) h1.convertShape(VectorOperators.S2I, INTS, 1)).convertShape(VectorOperators.I2F, F, 0)).mul(dx[r1 + b]).sub(8f * xsum[r1 + b]).fma(d1, a11);
            a20 = ((FloatVector) ((IntVector) l2.convertShape(VectorOperators.S2I, INTS, 0)).add((IntVector) h2.convertShape(VectorOperators.S2I, INTS, 0)).convertShape(VectorOperators.I2F, F, 0)).mul(dx[r2 + b]).sub(8f * xsum[r2 + b]).fma(d0, a20);
            a21 = ((FloatVector) ((IntVector) l2.convertShape(VectorOperators.S2I, INTS, 1)).add((IntVector) h2.convertShape(VectorOperators.S2I, INTS, 1)).convertShape(VectorOperators.I2F, F, 0)).mul(dx[r2 + b]).sub(8f * xsum[r2 + b]).fma(d1, a21);
            a30 = ((FloatVector) ((IntVector) l3.convertShape(VectorOperators.S2I, INTS, 0)).add((IntVector) h3.convertShape(VectorOperators.S2I, INTS, 0)).convertShape(VectorOperators.I2F, F, 0)).mul(dx[r3 + b]).sub(8f * xsum[r3 + b]).fma(d0, a30);
            a31 = ((FloatVector) ((IntVector) l3.convertShape(VectorOperators.S2I, INTS, 1)).add((IntVector) h3.convertShape(VectorOperators.S2I, INTS, 1)).convertShape(VectorOperators.I2F, F, 0)).mul(dx[r3 + b]).sub(8f * xsum[r3 + b]).fma(d1, a31);
        }
        int o = g * G + i * rows;
        a00.intoArray(out, o);
        a01.intoArray(out, o + L);
        a10.intoArray(out, o + rows);
        a11.intoArray(out, o + rows + L);
        a20.intoArray(out, o + 2 * rows);
        a21.intoArray(out, o + 2 * rows + L);
        a30.intoArray(out, o + 3 * rows);
        a31.intoArray(out, o + 3 * rows + L);
    }

    /**
     * As {@link #groupDotQ4_0}, per 256 columns. Each super-block's header (d, dmin, the sub-blocks' scales and mins)
     * is read first, in address order, into {@code header} as F32: read where each sub-block needs it, the header's
     * lines came after nibbles that lie beyond them, and the hardware prefetcher lost the stream at every
     * super-block (measured out of cache: 9 GB/s per core instead of the 25 of Q4_0, whose blocks hold no gap).
     */
    private void groupDotQ4_K(int g, short[] xq, int xo, float[] dx, float[] xsum, int bo, float[] out, int oo, float[] header) {
        int supers = cols / 256;
        long unit = groupUnitBytes(type), groupBytes = groupBytes();
        long base = g * groupBytes;
        FloatVector acc0 = FloatVector.zero(F), acc1 = acc0;
        for (int sb = 0; sb < supers; sb++) {
            long p = base + sb * unit;
            // header[0..4L): d, dmin (two halves each); then per sub-block s at (4 + 4s)L: scale, scale, min, min
            ((IntVector) ShortVector.fromMemorySegment(HALF_SHORTS, data, p, LE).convertShape(VectorOperators.S2I, INTS, 0)).lanewise(VectorOperators.LSHL, 13).and(F16_BITS).reinterpretAsFloats().mul(0x1p112f).intoArray(header, 0);
            ((IntVector) ShortVector.fromMemorySegment(HALF_SHORTS, data, p + 2L * L, LE).convertShape(VectorOperators.S2I, INTS, 0)).lanewise(VectorOperators.LSHL, 13).and(F16_BITS).reinterpretAsFloats().mul(0x1p112f).intoArray(header, L);
            ((IntVector) ShortVector.fromMemorySegment(HALF_SHORTS, data, p + 2L * G, LE).convertShape(VectorOperators.S2I, INTS, 0)).lanewise(VectorOperators.LSHL, 13).and(F16_BITS).reinterpretAsFloats().mul(0x1p112f).intoArray(header, 2 * L);
            ((IntVector) ShortVector.fromMemorySegment(HALF_SHORTS, data, p + 2L * G + 2L * L, LE).convertShape(VectorOperators.S2I, INTS, 0)).lanewise(VectorOperators.LSHL, 13).and(F16_BITS).reinterpretAsFloats().mul(0x1p112f).intoArray(header, 3 * L);
            for (int k = 0; k < 16; k++) { // 16 runs of G bytes: scales and mins of sub-block k/2, alternating
                long at = p + 4L * G + (long) k * G;
                ((FloatVector) ((IntVector) ByteVector.fromMemorySegment(Vectors.BYTE, data, at, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, INTS, 0)).convertShape(VectorOperators.I2F, F, 0)).intoArray(header, (4 + 2 * k) * L);
                ((FloatVector) ((IntVector) ByteVector.fromMemorySegment(Vectors.BYTE, data, at + L, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, INTS, 0)).convertShape(VectorOperators.I2F, F, 0)).intoArray(header, (5 + 2 * k) * L);
            }
            FloatVector sum0 = FloatVector.zero(F), sum1 = sum0, min0 = sum0, min1 = sum0;
            for (int sub = 0; sub < 8; sub++) {
                int b = 8 * sb + sub;
                ShortVector lo = ShortVector.zero(SHORTS), hi = lo;
                long nib = p + 20L * G + 16L * G * sub;
                int xb = xo + 32 * b;
                for (int j = 0; j < 16; j++) {
                    ShortVector q = (ShortVector) ByteVector.fromMemorySegment(BYTES_G, data, nib + (long) G * j, LE).convertShape(VectorOperators.ZERO_EXTEND_B2S, SHORTS, 0);
                    lo = q.and((short) 0xF).mul(xq[xb + j]).add(lo);
                    hi = q.lanewise(VectorOperators.LSHR, 4).mul(xq[xb + 16 + j]).add(hi);
                }
                float scale = dx[bo + b];
                FloatVector s = FloatVector.broadcast(F, xsum[bo + b]);
                int h = (4 + 4 * sub) * L;
                sum0 = ((FloatVector) ((IntVector) lo.convertShape(VectorOperators.S2I, INTS, 0)).add((IntVector) hi.convertShape(VectorOperators.S2I, INTS, 0)).convertShape(VectorOperators.I2F, F, 0)).mul(scale).fma(FloatVector.fromArray(F, header, h), sum0);
                sum1 = ((FloatVector) ((IntVector) lo.convertShape(VectorOperators.S2I, INTS, 1)).add((IntVector) hi.convertShape(VectorOperators.S2I, INTS, 1)).convertShape(VectorOperators.I2F, F, 0)).mul(scale).fma(FloatVector.fromArray(F, header, h + L), sum1);
                min0 = FloatVector.fromArray(F, header, h + 2 * L).fma(s, min0);
                min1 = FloatVector.fromArray(F, header, h + 3 * L).fma(s, min1);
            }
            acc0 = sum0.mul(FloatVector.fromArray(F, header, 0)).sub(min0.mul(FloatVector.fromArray(F, header, 2 * L))).add(acc0);
            acc1 = sum1.mul(FloatVector.fromArray(F, header, L)).sub(min1.mul(FloatVector.fromArray(F, header, 3 * L))).add(acc1);
        }
        acc0.intoArray(out, oo + g * G);
        acc1.intoArray(out, oo + g * G + L);
    }

    /**
     * Group {@code g} times activation rows {@code i .. i+3}, per 256 columns: each weight vector is split into its
     * nibbles once for the four rows. The super-block's header is read first, in address order, into
     * {@code header} with {@code d} and {@code dmin} folded in: sub-block {@code s} at {@code 4sL}: d·scale (two
     * halves), then dmin·min, so that each row needs two accumulators, not six.
     */
    private void groupDotQ4_Kx4(int g, short[] xq, int i, float[] dx, float[] xsum, float[] out, float[] header) {
        int supers = cols / 256, runs = cols / 32;
        long unit = groupUnitBytes(type), base = g * groupBytes();
        int x0 = i * cols, x1 = x0 + cols, x2 = x1 + cols, x3 = x2 + cols;
        int r0 = i * runs, r1 = r0 + runs, r2 = r1 + runs, r3 = r2 + runs;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
        for (int sb = 0; sb < supers; sb++) {
            long p = base + sb * unit;
            FloatVector d0 = ((IntVector) ShortVector.fromMemorySegment(HALF_SHORTS, data, p, LE).convertShape(VectorOperators.S2I, INTS, 0)).lanewise(VectorOperators.LSHL, 13).and(F16_BITS).reinterpretAsFloats().mul(0x1p112f);
            FloatVector d1 = ((IntVector) ShortVector.fromMemorySegment(HALF_SHORTS, data, p + 2L * L, LE).convertShape(VectorOperators.S2I, INTS, 0)).lanewise(VectorOperators.LSHL, 13).and(F16_BITS).reinterpretAsFloats().mul(0x1p112f);
            FloatVector m0 = ((IntVector) ShortVector.fromMemorySegment(HALF_SHORTS, data, p + 2L * G, LE).convertShape(VectorOperators.S2I, INTS, 0)).lanewise(VectorOperators.LSHL, 13).and(F16_BITS).reinterpretAsFloats().mul(0x1p112f);
            FloatVector m1 = ((IntVector) ShortVector.fromMemorySegment(HALF_SHORTS, data, p + 2L * G + 2L * L, LE).convertShape(VectorOperators.S2I, INTS, 0)).lanewise(VectorOperators.LSHL, 13).and(F16_BITS).reinterpretAsFloats().mul(0x1p112f);
            for (int k = 0; k < 16; k += 2) { // sub-block k/2: its scales, then its mins
                long at = p + 4L * G + (long) k * G;
                ((FloatVector) ((IntVector) ByteVector.fromMemorySegment(Vectors.BYTE, data, at, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, INTS, 0)).convertShape(VectorOperators.I2F, F, 0)).mul(d0).intoArray(header, 2 * k * L);
                ((FloatVector) ((IntVector) ByteVector.fromMemorySegment(Vectors.BYTE, data, at + L, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, INTS, 0)).convertShape(VectorOperators.I2F, F, 0)).mul(d1).intoArray(header, (2 * k + 1) * L);
                ((FloatVector) ((IntVector) ByteVector.fromMemorySegment(Vectors.BYTE, data, at + G, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, INTS, 0)).convertShape(VectorOperators.I2F, F, 0)).mul(m0).intoArray(header, (2 * k + 2) * L);
                ((FloatVector) ((IntVector) ByteVector.fromMemorySegment(Vectors.BYTE, data, at + G + L, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, INTS, 0)).convertShape(VectorOperators.I2F, F, 0)).mul(m1).intoArray(header, (2 * k + 3) * L);
            }
            for (int sub = 0; sub < 8; sub++) {
                int b = 8 * sb + sub, c = 32 * b;
                long nib = p + 20L * G + 16L * G * sub;
                ShortVector l0 = ShortVector.zero(SHORTS), l1 = l0, l2 = l0, l3 = l0, h0 = l0, h1 = l0, h2 = l0, h3 = l0;
                for (int j = 0; j < 16; j++) {
                    ShortVector q = (ShortVector) ByteVector.fromMemorySegment(BYTES_G, data, nib + (long) G * j, LE).convertShape(VectorOperators.ZERO_EXTEND_B2S, SHORTS, 0);
                    ShortVector lo = q.and((short) 0xF), hi = q.lanewise(VectorOperators.LSHR, 4);
                    l0 = lo.mul(xq[x0 + c + j]).add(l0);
                    h0 = hi.mul(xq[x0 + c + 16 + j]).add(h0);
                    l1 = lo.mul(xq[x1 + c + j]).add(l1);
                    h1 = hi.mul(xq[x1 + c + 16 + j]).add(h1);
                    l2 = lo.mul(xq[x2 + c + j]).add(l2);
                    h2 = hi.mul(xq[x2 + c + 16 + j]).add(h2);
                    l3 = lo.mul(xq[x3 + c + j]).add(l3);
                    h3 = hi.mul(xq[x3 + c + 16 + j]).add(h3);
                }
                int h = 4 * sub * L;
                FloatVector sc0 = FloatVector.fromArray(F, header, h), sc1 = FloatVector.fromArray(F, header, h + L);
                FloatVector mn0 = FloatVector.fromArray(F, header, h + 2 * L), mn1 = FloatVector.fromArray(F, header, h + 3 * L);
                a00 = mn0.fma(FloatVector.broadcast(F, -xsum[r0 + b]), ((FloatVector) ((IntVector) l0.convertShape(VectorOperators.S2I, INTS, 0)).add((IntVector) h0.convertShape(VectorOperators.S2I, INTS, 0)).convertShape(VectorOperators.I2F, F, 0)).mul(dx[r0 + b]).fma(sc0, a00));
                a01 = mn1.fma(FloatVector.broadcast(F, -xsum[r0 + b]), ((FloatVector) ((IntVector) l0.convertShape(VectorOperators.S2I, INTS, 1)).add((IntVector) h0.convertShape(VectorOperators.S2I, INTS, 1)).convertShape(VectorOperators.I2F, F, 0)).mul(dx[r0 + b]).fma(sc1, a01));
                a10 = mn0.fma(FloatVector.broadcast(F, -xsum[r1 + b]), ((FloatVector) ((IntVector) l1.convertShape(VectorOperators.S2I, INTS, 0)).add((IntVector) h1.convertShape(VectorOperators.S2I, INTS, 0)).convertShape(VectorOperators.I2F, F, 0)).mul(dx[r1 + b]).fma(sc0, a10));
                a11 = mn1.fma(FloatVector.broadcast(F, -xsum[r1 + b]), ((FloatVector) ((IntVector) l1.convertShape(VectorOperators.S2I, INTS, 1)).add((IntVector) h1.convertShape(VectorOperators.S2I, INTS, 1)).convertShape(VectorOperators.I2F, F, 0)).mul(dx[r1 + b]).fma(sc1, a11));
                a20 = mn0.fma(FloatVector.broadcast(F, -xsum[r2 + b]), ((FloatVector) ((IntVector) l2.convertShape(VectorOperators.S2I, INTS, 0)).add((IntVector) h2.convertShape(VectorOperators.S2I, INTS, 0)).convertShape(VectorOperators.I2F, F, 0)).mul(dx[r2 + b]).fma(sc0, a20));
                a21 = mn1.fma(FloatVector.broadcast(F, -xsum[r2 + b]), ((FloatVector) ((IntVector) l2.convertShape(VectorOperators.S2I, INTS, 1)).add((IntVector) h2.convertShape(VectorOperators.S2I, INTS, 1)).convertShape(VectorOperators.I2F, F, 0)).mul(dx[r2 + b]).fma(sc1, a21));
                a30 = mn0.fma(FloatVector.broadcast(F, -xsum[r3 + b]), ((FloatVector) ((IntVector) l3.convertShape(VectorOperators.S2I, INTS, 0)).add((IntVector) h3.convertShape(VectorOperators.S2I, INTS, 0)).convertShape(VectorOperators.I2F, F, 0)).mul(dx[r3 + b]).fma(sc0, a30));
                a31 = mn1.fma(FloatVector.broadcast(F, -xsum[r3 + b]), ((FloatVector) ((IntVector) l3.convertShape(VectorOperators.S2I, INTS, 1)).add((IntVector) h3.convertShape(VectorOperators.S2I, INTS, 1)).convertShape(VectorOperators.I2F, F, 0)).mul(dx[r3 + b]).fma(sc1, a31));
            }
        }
        int o = g * G + i * rows;
        a00.intoArray(out, o);
        a01.intoArray(out, o + L);
        a10.intoArray(out, o + rows);
        a11.intoArray(out, o + rows + L);
        a20.intoArray(out, o + 2 * rows);
        a21.intoArray(out, o + 2 * rows + L);
        a30.intoArray(out, o + 3 * rows);
        a31.intoArray(out, o + 3 * rows + L);
    }

    // ---- several activation rows: F32 panels, rows in lanes ----

    /**
     * {@code out[i*rows + r] = dot(r, x, i*cols)} for {@code i < n} and rows {@code from .. to-1} (multiples of
     * {@link #G}): each group's weights are dequantized {@value #PANEL_COLS} columns at a time into a panel
     * {@code [PANEL_COLS][G]} and multiplied with the activation rows ({@link RowGroupPanels#timesRows}).
     */
    void matmulRows(float[] x, int n, float[] out, int from, int to) {
        float[] panel = RowGroupPanels.scratch();
        for (int g = from / G; g < to / G; g++) {
            for (int c0 = 0; c0 < cols; c0 += PANEL_COLS) {
                int width = Math.min(PANEL_COLS, cols - c0);
                dequantizePanel(g, c0, width, panel);
                RowGroupPanels.timesRows(panel, width, x, cols, n, c0, out, rows, g * G, c0 == 0);
            }
        }
    }

    /**
     * Columns {@code c0 .. c0+width-1} of group {@code g} as F32, column-major: {@code panel[c*G + k]} = row
     * {@code k}. One method per type: a method with both bodies grows past C2's node budget and loses intrinsics.
     */
    private void dequantizePanel(int g, int c0, int width, float[] panel) {
        if (type == GgmlType.Q4_0) dequantizePanelQ4_0(g, c0, width, panel); else dequantizePanelQ4_K(g, c0, width, panel);
    }

    private void dequantizePanelQ4_0(int g, int c0, int width, float[] panel) {
        long base = g * groupBytes(), unit = groupUnitBytes(type);
        for (int c = 0; c < width; c += 32) {
            long p = base + ((c0 + c) / 32) * unit;
            FloatVector scale0 = ((IntVector) ShortVector.fromMemorySegment(HALF_SHORTS, data, p, LE).convertShape(VectorOperators.S2I, INTS, 0)).lanewise(VectorOperators.LSHL, 13).and(F16_BITS).reinterpretAsFloats().mul(0x1p112f);
            FloatVector scale1 = ((IntVector) ShortVector.fromMemorySegment(HALF_SHORTS, data, p + 2L * L, LE).convertShape(VectorOperators.S2I, INTS, 0)).lanewise(VectorOperators.LSHL, 13).and(F16_BITS).reinterpretAsFloats().mul(0x1p112f);
            FloatVector min0 = scale0.mul(-8f), min1 = scale1.mul(-8f);
            long nib = p + 2L * G;
            for (int j = 0; j < 16; j++) {
                long at = nib + (long) G * j;
                IntVector q0 = (IntVector) ByteVector.fromMemorySegment(Vectors.BYTE, data, at, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, INTS, 0);
                IntVector q1 = (IntVector) ByteVector.fromMemorySegment(Vectors.BYTE, data, at + L, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, INTS, 0);
                int lo = (c + j) * G, hi = (c + j + 16) * G;
                ((FloatVector) q0.and(0xF).convertShape(VectorOperators.I2F, F, 0)).fma(scale0, min0).intoArray(panel, lo);
                ((FloatVector) q1.and(0xF).convertShape(VectorOperators.I2F, F, 0)).fma(scale1, min1).intoArray(panel, lo + L);
                ((FloatVector) q0.lanewise(VectorOperators.LSHR, 4).convertShape(VectorOperators.I2F, F, 0)).fma(scale0, min0).intoArray(panel, hi);
                ((FloatVector) q1.lanewise(VectorOperators.LSHR, 4).convertShape(VectorOperators.I2F, F, 0)).fma(scale1, min1).intoArray(panel, hi + L);
            }
        }
    }

    private void dequantizePanelQ4_K(int g, int c0, int width, float[] panel) {
        long base = g * groupBytes(), unit = groupUnitBytes(type);
        for (int c = 0; c < width; c += 32) {
            int b = (c0 + c) / 32, sub = b % 8;
            long p = base + (b / 8) * unit;
            long sc = p + 4L * G + 2L * sub * G, mn = sc + G;
            FloatVector scale0 = ((IntVector) ShortVector.fromMemorySegment(HALF_SHORTS, data, p, LE).convertShape(VectorOperators.S2I, INTS, 0)).lanewise(VectorOperators.LSHL, 13).and(F16_BITS).reinterpretAsFloats().mul(0x1p112f).mul(((FloatVector) ((IntVector) ByteVector.fromMemorySegment(Vectors.BYTE, data, sc, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, INTS, 0)).convertShape(VectorOperators.I2F, F, 0)));
            FloatVector scale1 = ((IntVector) ShortVector.fromMemorySegment(HALF_SHORTS, data, p + 2L * L, LE).convertShape(VectorOperators.S2I, INTS, 0)).lanewise(VectorOperators.LSHL, 13).and(F16_BITS).reinterpretAsFloats().mul(0x1p112f).mul(((FloatVector) ((IntVector) ByteVector.fromMemorySegment(Vectors.BYTE, data, sc + L, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, INTS, 0)).convertShape(VectorOperators.I2F, F, 0)));
            FloatVector min0 = ((IntVector) ShortVector.fromMemorySegment(HALF_SHORTS, data, p + 2L * G, LE).convertShape(VectorOperators.S2I, INTS, 0)).lanewise(VectorOperators.LSHL, 13).and(F16_BITS).reinterpretAsFloats().mul(0x1p112f).mul(((FloatVector) ((IntVector) ByteVector.fromMemorySegment(Vectors.BYTE, data, mn, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, INTS, 0)).convertShape(VectorOperators.I2F, F, 0))).neg();
            FloatVector min1 = ((IntVector) ShortVector.fromMemorySegment(HALF_SHORTS, data, p + 2L * G + 2L * L, LE).convertShape(VectorOperators.S2I, INTS, 0)).lanewise(VectorOperators.LSHL, 13).and(F16_BITS).reinterpretAsFloats().mul(0x1p112f).mul(((FloatVector) ((IntVector) ByteVector.fromMemorySegment(Vectors.BYTE, data, mn + L, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, INTS, 0)).convertShape(VectorOperators.I2F, F, 0))).neg();
            long nib = p + 20L * G + 16L * G * sub;
            for (int j = 0; j < 16; j++) {
                long at = nib + (long) G * j;
                IntVector q0 = (IntVector) ByteVector.fromMemorySegment(Vectors.BYTE, data, at, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, INTS, 0);
                IntVector q1 = (IntVector) ByteVector.fromMemorySegment(Vectors.BYTE, data, at + L, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, INTS, 0);
                int lo = (c + j) * G, hi = (c + j + 16) * G;
                ((FloatVector) q0.and(0xF).convertShape(VectorOperators.I2F, F, 0)).fma(scale0, min0).intoArray(panel, lo);
                ((FloatVector) q1.and(0xF).convertShape(VectorOperators.I2F, F, 0)).fma(scale1, min1).intoArray(panel, lo + L);
                ((FloatVector) q0.lanewise(VectorOperators.LSHR, 4).convertShape(VectorOperators.I2F, F, 0)).fma(scale0, min0).intoArray(panel, hi);
                ((FloatVector) q1.lanewise(VectorOperators.LSHR, 4).convertShape(VectorOperators.I2F, F, 0)).fma(scale1, min1).intoArray(panel, hi + L);
            }
        }
    }
}
