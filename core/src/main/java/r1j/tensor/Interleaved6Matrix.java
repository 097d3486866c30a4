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
 * A Q6_K matrix repacked at load into groups of {@link #G} rows with rows in vector lanes, as
 * {@link Interleaved4Matrix} does for 4-bit types, and with each 6-bit value stored as one signed byte
 * {@code q - 32}: the decode kernel then widens, multiplies and adds — three instructions per column of {@code G}
 * rows — where unpacking the file's 4 + 2 bit planes would take about eight. The cost is memory: 274 bytes per row
 * and 256 columns instead of 210 (+30 % for these tensors; in a Q4_K_M file, the output head and half the
 * {@code ffn_down} matrices).
 *
 * <p>Layout, for each group of rows and each super-block of 256 columns: {@code G} F16 {@code d}; 16 × {@code G}
 * signed 8-bit sub-block scales (sub-block {@code s} covers columns {@code 16s .. 16s+15}); 256 × {@code G} values
 * {@code q - 32}, column by column. Value = {@code d * scale * (q - 32)}, as in the file.
 *
 * <p>Decode ({@code n} up to {@link Activations#QUANTIZED_ROWS}): 8-bit activations; 8 products of at most
 * 32 × 127 are summed in 16-bit lanes without overflow. More rows: F32 panels ({@link RowGroupPanels}) over the
 * same 8-bit activations, so a row's result does not depend on its batch.
 */
public final class Interleaved6Matrix implements WeightMatrix {

    private static final VectorSpecies<Float> F = Vectors.FLOAT;
    private static final int L = Vectors.L;
    static final int G = RowGroupPanels.G;
    private static final VectorSpecies<Short> SHORTS = VectorSpecies.of(short.class, VectorShape.forBitSize(G * 16));
    private static final VectorSpecies<Byte> BYTES_G = VectorSpecies.of(byte.class, VectorShape.forBitSize(G * 8));
    private static final VectorSpecies<Integer> INTS = Vectors.INT;
    private static final VectorSpecies<Short> HALF_SHORTS = Vectors.SHORT;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    /** See {@link Interleaved4Matrix}: F16 → F32 in lanes, written out at each use. */
    private static final int F16_BITS = 0x8FFFE000;
    /** Bytes per row and super-block: d, 16 scales, 256 values. */
    private static final int ROW_UNIT = 2 + 16 + 256;

    private final MemorySegment data;
    private final int rows, cols;

    private Interleaved6Matrix(MemorySegment data, int rows, int cols) {
        this.data = data;
        this.rows = rows;
        this.cols = cols;
    }

    /** Whether {@code w} can be repacked: Q6_K, whole groups of rows, vectors of at least 8 float lanes. */
    public static boolean canRepack(WeightMatrix w) {
        return Vectors.QUANTIZED && L >= 8 && w.rows() % G == 0 && w.type() == GgmlType.Q6_K;
    }

    private long unitBytes() { return (long) ROW_UNIT * G; }

    private long groupBytes() { return unitBytes() * (cols / 256); }

    /**
     * {@code w} repacked into memory of {@code arena}, reading its blocks through {@code source}.
     *
     * @throws IllegalArgumentException if {@link #canRepack} is false
     */
    public static Interleaved6Matrix repack(WeightMatrix w, RowSource source, Arena arena) {
        if (!canRepack(w)) throw new IllegalArgumentException("cannot repack a %s matrix of %d rows as Q6_K".formatted(w.type(), w.rows()));
        int rows = w.rows(), cols = w.cols(), rowBytes = (int) w.rowBytes();
        long groupBytes = (long) ROW_UNIT * G * (cols / 256);
        MemorySegment out = arena.allocate(groupBytes * (rows / G), 64);
        byte[] src = new byte[G * rowBytes];
        byte[] dst = new byte[(int) groupBytes];
        byte[] values = new byte[256];
        MemorySegment srcSegment = MemorySegment.ofArray(src);
        for (int g = 0; g < rows / G; g++) {
            source.read(g * G, G, src);
            for (int sb = 0; sb < cols / 256; sb++) {
                int o = sb * ROW_UNIT * G;
                for (int k = 0; k < G; k++) {
                    int s = k * rowBytes + sb * 210;
                    dst[o + 2 * k] = src[s + 208];
                    dst[o + 2 * k + 1] = src[s + 209];
                    for (int sub = 0; sub < 16; sub++) dst[o + 2 * G + sub * G + k] = src[s + 192 + sub];
                    Q6_KMatrix.values(srcSegment, s, values);
                    for (int c = 0; c < 256; c++) dst[o + 18 * G + c * G + k] = values[c];
                }
            }
            MemorySegment.copy(MemorySegment.ofArray(dst), 0, out, g * groupBytes, groupBytes);
        }
        return new Interleaved6Matrix(out, rows, cols);
    }

    @Override
    public GgmlType type() { return GgmlType.Q6_K; }

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

    @Override
    public void dequantizeRowReference(int row, float[] out, int outOffset) {
        int g = row / G, k = row % G;
        for (int sb = 0; sb < cols / 256; sb++) {
            long p = g * groupBytes() + sb * unitBytes();
            float d = LittleEndian.f16(data, p + 2L * k);
            for (int c = 0; c < 256; c++) {
                int scale = LittleEndian.i8(data, p + 2L * G + (long) (c / 16) * G + k);
                out[outOffset + sb * 256 + c] = d * scale * LittleEndian.i8(data, p + 18L * G + (long) c * G + k);
            }
        }
    }

    /** The same values as {@link #dequantizeRowReference}: a row is spread over its group. */
    @Override
    public void dequantizeRow(int row, float[] out, int outOffset) {
        dequantizeRowReference(row, out, outOffset);
    }

    @Override
    public float dot(int row, float[] x, int xOffset) {
        return dotReference(row, x, xOffset);
    }

    /** As {@link Interleaved4Matrix}'s: {@code n} rows of 8-bit activations, groups {@code from/G .. to/G}. */
    void dotRows(short[] xq, float[] dx, int n, float[] out, int from, int to) {
        int runs = cols / 32;
        float[] header = RowGroupPanels.scratch(); // the panel is not used on this path
        for (int g = from / G; g < to / G; g++) {
            int i = 0;
            for (; i + 4 <= n; i += 4) groupDotx4(g, xq, i, dx, out, header);
            for (; i < n; i++) groupDot(g, xq, i * cols, dx, i * runs, out, i * rows, header);
        }
    }

    /**
     * Group {@code g} times one activation row. Each super-block's header (d, then the 16 scales) is read first,
     * in address order, into {@code header} as F32: read where each sub-block needs it, the header's lines came
     * after values beyond them and the hardware prefetcher lost the stream at every super-block (as in
     * {@link Interleaved4Matrix}'s Q4_K kernel).
     */
    private void groupDot(int g, short[] xq, int xo, float[] dx, int bo, float[] out, int oo, float[] header) {
        long base = g * groupBytes(), unit = unitBytes();
        FloatVector acc0 = FloatVector.zero(F), acc1 = acc0;
        for (int sb = 0; sb < cols / 256; sb++) {
            long p = base + sb * unit;
            // header[0..2L): d (two halves); then sub-block k's scale at (2 + 2k)L, two halves
            ((IntVector) ShortVector.fromMemorySegment(HALF_SHORTS, data, p, LE).convertShape(VectorOperators.S2I, INTS, 0)).lanewise(VectorOperators.LSHL, 13).and(F16_BITS).reinterpretAsFloats().mul(0x1p112f).intoArray(header, 0);
            ((IntVector) ShortVector.fromMemorySegment(HALF_SHORTS, data, p + 2L * L, LE).convertShape(VectorOperators.S2I, INTS, 0)).lanewise(VectorOperators.LSHL, 13).and(F16_BITS).reinterpretAsFloats().mul(0x1p112f).intoArray(header, L);
            for (int k = 0; k < 16; k++) {
                long at = p + 2L * G + (long) k * G;
                ((FloatVector) ((IntVector) ByteVector.fromMemorySegment(Vectors.BYTE, data, at, LE).convertShape(VectorOperators.B2I, INTS, 0)).convertShape(VectorOperators.I2F, F, 0)).intoArray(header, (2 + 2 * k) * L);
                ((FloatVector) ((IntVector) ByteVector.fromMemorySegment(Vectors.BYTE, data, at + L, LE).convertShape(VectorOperators.B2I, INTS, 0)).convertShape(VectorOperators.I2F, F, 0)).intoArray(header, (3 + 2 * k) * L);
            }
            FloatVector sum0 = FloatVector.zero(F), sum1 = sum0;
            for (int b = 0; b < 8; b++) {
                // sub-block 2b: columns 0-15 of the run, in two halves of 8 (8 products fit 16 bits); 2b+1: 16-31
                ShortVector a1 = ShortVector.zero(SHORTS), a2 = a1, b1 = a1, b2 = a1;
                long v = p + 18L * G + 32L * b * G;
                int xb = xo + 256 * sb + 32 * b;
                // columns in address order, one run of 8 after the other (four interleaved runs read slower from memory)
                for (int c = 0; c < 8; c++) a1 = ((ShortVector) ByteVector.fromMemorySegment(BYTES_G, data, v + (long) c * G, LE).convertShape(VectorOperators.B2S, SHORTS, 0)).mul(xq[xb + c]).add(a1);
                for (int c = 8; c < 16; c++) a2 = ((ShortVector) ByteVector.fromMemorySegment(BYTES_G, data, v + (long) c * G, LE).convertShape(VectorOperators.B2S, SHORTS, 0)).mul(xq[xb + c]).add(a2);
                for (int c = 16; c < 24; c++) b1 = ((ShortVector) ByteVector.fromMemorySegment(BYTES_G, data, v + (long) c * G, LE).convertShape(VectorOperators.B2S, SHORTS, 0)).mul(xq[xb + c]).add(b1);
                for (int c = 24; c < 32; c++) b2 = ((ShortVector) ByteVector.fromMemorySegment(BYTES_G, data, v + (long) c * G, LE).convertShape(VectorOperators.B2S, SHORTS, 0)).mul(xq[xb + c]).add(b2);
                float scale = dx[bo + 8 * sb + b];
                int ha = (2 + 4 * b) * L, hb = ha + 2 * L; // sub-blocks 2b and 2b+1
                sum0 = ((FloatVector) ((IntVector) a1.convertShape(VectorOperators.S2I, INTS, 0)).add((IntVector) a2.convertShape(VectorOperators.S2I, INTS, 0)).convertShape(VectorOperators.I2F, F, 0)).mul(scale)
                        .fma(FloatVector.fromArray(F, header, ha), sum0);
                sum1 = ((FloatVector) ((IntVector) a1.convertShape(VectorOperators.S2I, INTS, 1)).add((IntVector) a2.convertShape(VectorOperators.S2I, INTS, 1)).convertShape(VectorOperators.I2F, F, 0)).mul(scale)
                        .fma(FloatVector.fromArray(F, header, ha + L), sum1);
                sum0 = ((FloatVector) ((IntVector) b1.convertShape(VectorOperators.S2I, INTS, 0)).add((IntVector) b2.convertShape(VectorOperators.S2I, INTS, 0)).convertShape(VectorOperators.I2F, F, 0)).mul(scale)
                        .fma(FloatVector.fromArray(F, header, hb), sum0);
                sum1 = ((FloatVector) ((IntVector) b1.convertShape(VectorOperators.S2I, INTS, 1)).add((IntVector) b2.convertShape(VectorOperators.S2I, INTS, 1)).convertShape(VectorOperators.I2F, F, 0)).mul(scale)
                        .fma(FloatVector.fromArray(F, header, hb + L), sum1);
            }
            acc0 = sum0.fma(FloatVector.fromArray(F, header, 0), acc0);
            acc1 = sum1.fma(FloatVector.fromArray(F, header, L), acc1);
        }
        acc0.intoArray(out, oo + g * G);
        acc1.intoArray(out, oo + g * G + L);
    }

    /**
     * Group {@code g} times activation rows {@code i .. i+3}: each weight vector is loaded and widened once for the
     * four rows. The super-block's header is read first into {@code header} with {@code d} folded in: sub-block
     * {@code k}'s d·scale at {@code 2kL} (two halves).
     */
    private void groupDotx4(int g, short[] xq, int i, float[] dx, float[] out, float[] header) {
        int runs = cols / 32;
        long base = g * groupBytes(), unit = unitBytes();
        int x0 = i * cols, x1 = x0 + cols, x2 = x1 + cols, x3 = x2 + cols;
        int r0 = i * runs, r1 = r0 + runs, r2 = r1 + runs, r3 = r2 + runs;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
        for (int sb = 0; sb < cols / 256; sb++) {
            long p = base + sb * unit;
            FloatVector d0 = ((IntVector) ShortVector.fromMemorySegment(HALF_SHORTS, data, p, LE).convertShape(VectorOperators.S2I, INTS, 0)).lanewise(VectorOperators.LSHL, 13).and(F16_BITS).reinterpretAsFloats().mul(0x1p112f);
            FloatVector d1 = ((IntVector) ShortVector.fromMemorySegment(HALF_SHORTS, data, p + 2L * L, LE).convertShape(VectorOperators.S2I, INTS, 0)).lanewise(VectorOperators.LSHL, 13).and(F16_BITS).reinterpretAsFloats().mul(0x1p112f);
            for (int k = 0; k < 16; k++) {
                long at = p + 2L * G + (long) k * G;
                ((FloatVector) ((IntVector) ByteVector.fromMemorySegment(Vectors.BYTE, data, at, LE).convertShape(VectorOperators.B2I, INTS, 0)).convertShape(VectorOperators.I2F, F, 0)).mul(d0).intoArray(header, 2 * k * L);
                ((FloatVector) ((IntVector) ByteVector.fromMemorySegment(Vectors.BYTE, data, at + L, LE).convertShape(VectorOperators.B2I, INTS, 0)).convertShape(VectorOperators.I2F, F, 0)).mul(d1).intoArray(header, (2 * k + 1) * L);
            }
            for (int k = 0; k < 16; k++) { // sub-block k: 16 columns, two runs of 8 products (8 fit 16 bits)
                long v = p + 18L * G + 16L * k * G;
                int c = 256 * sb + 16 * k, run = 8 * sb + k / 2;
                ShortVector l0 = ShortVector.zero(SHORTS), l1 = l0, l2 = l0, l3 = l0, h0 = l0, h1 = l0, h2 = l0, h3 = l0;
                for (int j = 0; j < 8; j++) {
                    ShortVector q = (ShortVector) ByteVector.fromMemorySegment(BYTES_G, data, v + (long) j * G, LE).convertShape(VectorOperators.B2S, SHORTS, 0);
                    l0 = q.mul(xq[x0 + c + j]).add(l0);
                    l1 = q.mul(xq[x1 + c + j]).add(l1);
                    l2 = q.mul(xq[x2 + c + j]).add(l2);
                    l3 = q.mul(xq[x3 + c + j]).add(l3);
                }
                for (int j = 8; j < 16; j++) {
                    ShortVector q = (ShortVector) ByteVector.fromMemorySegment(BYTES_G, data, v + (long) j * G, LE).convertShape(VectorOperators.B2S, SHORTS, 0);
                    h0 = q.mul(xq[x0 + c + j]).add(h0);
                    h1 = q.mul(xq[x1 + c + j]).add(h1);
                    h2 = q.mul(xq[x2 + c + j]).add(h2);
                    h3 = q.mul(xq[x3 + c + j]).add(h3);
                }
                FloatVector sc0 = FloatVector.fromArray(F, header, 2 * k * L), sc1 = FloatVector.fromArray(F, header, (2 * k + 1) * L);
                a00 = ((FloatVector) ((IntVector) l0.convertShape(VectorOperators.S2I, INTS, 0)).add((IntVector) h0.convertShape(VectorOperators.S2I, INTS, 0)).convertShape(VectorOperators.I2F, F, 0)).mul(dx[r0 + run]).fma(sc0, a00);
                a01 = ((FloatVector) ((IntVector) l0.convertShape(VectorOperators.S2I, INTS, 1)).add((IntVector) h0.convertShape(VectorOperators.S2I, INTS, 1)).convertShape(VectorOperators.I2F, F, 0)).mul(dx[r0 + run]).fma(sc1, a01);
                a10 = ((FloatVector) ((IntVector) l1.convertShape(VectorOperators.S2I, INTS, 0)).add((IntVector) h1.convertShape(VectorOperators.S2I, INTS, 0)).convertShape(VectorOperators.I2F, F, 0)).mul(dx[r1 + run]).fma(sc0, a10);
                a11 = ((FloatVector) ((IntVector) l1.convertShape(VectorOperators.S2I, INTS, 1)).add((IntVector) h1.convertShape(VectorOperators.S2I, INTS, 1)).convertShape(VectorOperators.I2F, F, 0)).mul(dx[r1 + run]).fma(sc1, a11);
                a20 = ((FloatVector) ((IntVector) l2.convertShape(VectorOperators.S2I, INTS, 0)).add((IntVector) h2.convertShape(VectorOperators.S2I, INTS, 0)).convertShape(VectorOperators.I2F, F, 0)).mul(dx[r2 + run]).fma(sc0, a20);
                a21 = ((FloatVector) ((IntVector) l2.convertShape(VectorOperators.S2I, INTS, 1)).add((IntVector) h2.convertShape(VectorOperators.S2I, INTS, 1)).convertShape(VectorOperators.I2F, F, 0)).mul(dx[r2 + run]).fma(sc1, a21);
                a30 = ((FloatVector) ((IntVector) l3.convertShape(VectorOperators.S2I, INTS, 0)).add((IntVector) h3.convertShape(VectorOperators.S2I, INTS, 0)).convertShape(VectorOperators.I2F, F, 0)).mul(dx[r3 + run]).fma(sc0, a30);
                a31 = ((FloatVector) ((IntVector) l3.convertShape(VectorOperators.S2I, INTS, 1)).add((IntVector) h3.convertShape(VectorOperators.S2I, INTS, 1)).convertShape(VectorOperators.I2F, F, 0)).mul(dx[r3 + run]).fma(sc1, a31);
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

    /** As {@link Interleaved4Matrix#matmulRows}: F32 panels times the (8-bit-rounded) activation rows. */
    void matmulRows(float[] x, int n, float[] out, int from, int to) {
        float[] panel = RowGroupPanels.scratch();
        for (int g = from / G; g < to / G; g++) {
            for (int c0 = 0; c0 < cols; c0 += RowGroupPanels.COLS) {
                int width = Math.min(RowGroupPanels.COLS, cols - c0);
                dequantizePanel(g, c0, width, panel);
                RowGroupPanels.timesRows(panel, width, x, cols, n, c0, out, rows, g * G, c0 == 0);
            }
        }
    }

    private void dequantizePanel(int g, int c0, int width, float[] panel) {
        long base = g * groupBytes();
        for (int c = 0; c < width; c += 16) {
            long p = base + ((c0 + c) / 256) * unitBytes();
            int sub = (c0 + c) % 256 / 16;
            FloatVector d0 = ((IntVector) ShortVector.fromMemorySegment(HALF_SHORTS, data, p, LE).convertShape(VectorOperators.S2I, INTS, 0)).lanewise(VectorOperators.LSHL, 13).and(F16_BITS).reinterpretAsFloats().mul(0x1p112f);
            FloatVector d1 = ((IntVector) ShortVector.fromMemorySegment(HALF_SHORTS, data, p + 2L * L, LE).convertShape(VectorOperators.S2I, INTS, 0)).lanewise(VectorOperators.LSHL, 13).and(F16_BITS).reinterpretAsFloats().mul(0x1p112f);
            long sc = p + 2L * G + (long) sub * G;
            FloatVector s0 = d0.mul((FloatVector) ((IntVector) ByteVector.fromMemorySegment(Vectors.BYTE, data, sc, LE).convertShape(VectorOperators.B2I, INTS, 0)).convertShape(VectorOperators.I2F, F, 0));
            FloatVector s1 = d1.mul((FloatVector) ((IntVector) ByteVector.fromMemorySegment(Vectors.BYTE, data, sc + L, LE).convertShape(VectorOperators.B2I, INTS, 0)).convertShape(VectorOperators.I2F, F, 0));
            long v = p + 18L * G + (long) (sub * 16) * G;
            for (int j = 0; j < 16; j++) {
                long at = v + (long) j * G;
                ((FloatVector) ((IntVector) ByteVector.fromMemorySegment(Vectors.BYTE, data, at, LE).convertShape(VectorOperators.B2I, INTS, 0)).convertShape(VectorOperators.I2F, F, 0))
                        .mul(s0).intoArray(panel, (c + j) * G);
                ((FloatVector) ((IntVector) ByteVector.fromMemorySegment(Vectors.BYTE, data, at + L, LE).convertShape(VectorOperators.B2I, INTS, 0)).convertShape(VectorOperators.I2F, F, 0))
                        .mul(s1).intoArray(panel, (c + j) * G + L);
            }
        }
    }
}
