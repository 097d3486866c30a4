package r1j.tensor;

/**
 * The shared matrix product {@code out [n][rows] = x [n][cols] · Wᵀ}, for one matrix or for several that share
 * their input ({@link #runAll}: the Q/K/V projections, gate and up) in one parallel region, so a layer pays one
 * barrier where it paid three.
 *
 * <p>Work split: the rows of all matrices are laid end to end and cut into one contiguous slice per thread by
 * weight bytes (a Q6_K row costs more than a Q4_K row), with slice boundaries on multiples of {@value #ROW_ALIGN}
 * rows so no two threads write the same cache line of an output (false sharing) and no thread idles while another
 * finishes a matrix on its own.
 *
 * <p>Kernels, per call:
 * <ul>
 * <li>One activation row (decode): the activations are prepared once per call — their sums per 16 values
 * ({@link Activations}) — and each type's decode kernel runs straight from the quantized blocks, folding the
 * type's offset ({@code -8} of Q4_0, the Q4_K/Q5_K mins) into those sums instead of subtracting it from
 * every weight.
 * <li>Several activation rows (prefill, batched decode): each weight row is dequantized once into a per-thread
 * scratch tile of {@value #TILE} rows and the tile is multiplied with the activation rows {@value #TILE} at a
 * time by the register-tiled {@link TileKernel}, so every weight block is decoded once per call and every vector
 * loaded feeds {@value #TILE} FMAs.
 * <li>F32 matrices keep their original arithmetic exactly (the tiny R1 model is all-F32 and its training recipe
 * must stay byte-reproducible): {@link F32Matrix#dot} for one row, the {@link VectorMath#dot4} tile for several.
 * </ul>
 * All products use F32 activations: results equal {@code dequantize(W) · x} up to float summation order (the
 * {@code .deq} golden logits). Integer dot products on 8-bit activations were measured and did not win with the
 * Vector API (see BENCHMARKS.md, "Kernels").
 */
public final class MatMul {

    /** Below this many output rows per thread, splitting costs more than it saves. */
    private static final int MIN_ROWS_PER_THREAD = 16;

    /** Thread slices start on multiples of this many rows: 16 floats are one 64-byte cache line of output. */
    static final int ROW_ALIGN = 16;

    /** Weight rows (and activation rows) multiplied together as one register tile. */
    static final int TILE = 4;

    private static final ThreadLocal<float[]> TILE_SCRATCH = ThreadLocal.withInitial(() -> new float[0]);
    private static final ThreadLocal<Activations> ACTIVATIONS = ThreadLocal.withInitial(Activations::new);

    private MatMul() {}

    /** One matrix: {@link WeightMatrix#matmul}. */
    static void run(WeightMatrix w, float[] x, int n, float[] out, ComputePool pool) {
        check(w, x, n, out, "");
        if (w instanceof F32Matrix f) {
            f32Run(f, x, n, out, pool);
            return;
        }
        Activations a = ACTIVATIONS.get().prepare(x, n, w.cols(), repacked(w), !repacked(w), pool);
        long bytes = w.rows() * w.rowBytes();
        pool.run(threads(pool, w.rows()), (ith, nth) -> {
            int from = boundary(w, bytes * ith / nth, 0, bytes);
            int to = boundary(w, bytes * (ith + 1) / nth, 0, bytes);
            if (from < to) rows(w, a, n, out, from, to);
        });
    }

    /**
     * {@code outs[m] [n][ws[m].rows()] = x [n][cols] · ws[m]ᵀ} for every {@code m}, in one parallel region: the
     * fused form of several {@link WeightMatrix#matmul} calls on the same input. Each output row is computed by the
     * same kernel as in its own {@code matmul} (F32 matrices run exactly as they do alone).
     *
     * @throws IllegalArgumentException if the arrays differ in length, a matrix's {@code cols} differs from the
     *     first's, or {@code x} or an output is too small
     */
    public static void runAll(WeightMatrix[] ws, float[] x, int n, float[][] outs, ComputePool pool) {
        if (ws.length == 0 || ws.length != outs.length) {
            throw new IllegalArgumentException("runAll needs one output per matrix and at least one matrix, got %d matrices and %d outputs"
                    .formatted(ws.length, outs.length));
        }
        int cols = ws[0].cols();
        long total = 0;
        int rows = 0;
        for (int m = 0; m < ws.length; m++) {
            if (ws[m].cols() != cols) {
                throw new IllegalArgumentException("matrix %d has %d columns, matrix 0 has %d: fused matrices share one input"
                        .formatted(m, ws[m].cols(), cols));
            }
            check(ws[m], x, n, outs[m], "matrix " + m + ": ");
            total += ws[m].rows() * ws[m].rowBytes();
            rows += ws[m].rows();
        }
        for (WeightMatrix w : ws) {
            if (w instanceof F32Matrix) {
                // F32 keeps its original split and arithmetic: one region per matrix.
                for (int m = 0; m < ws.length; m++) run(ws[m], x, n, outs[m], pool);
                return;
            }
        }
        boolean eightBit = false, sums = false;
        for (WeightMatrix w : ws) {
            eightBit |= repacked(w);
            sums |= !repacked(w);
        }
        Activations a = ACTIVATIONS.get().prepare(x, n, cols, eightBit, sums, pool);
        long all = total;
        pool.run(threads(pool, rows), (ith, nth) -> {
            long start = all * ith / nth, end = all * (ith + 1) / nth;
            long first = 0; // byte position where matrix m starts in the concatenation
            for (int m = 0; m < ws.length; m++) {
                WeightMatrix w = ws[m];
                long size = w.rows() * w.rowBytes();
                if (start < first + size && end > first) {
                    int from = boundary(w, start, first, size), to = boundary(w, end, first, size);
                    if (from < to) rows(w, a, n, outs[m], from, to);
                }
                first += size;
            }
        });
    }

    /** Whether {@code w} is repacked into row groups (and reads 8-bit activations). */
    private static boolean repacked(WeightMatrix w) {
        return w instanceof Interleaved4Matrix || w instanceof Interleaved6Matrix;
    }

    private static void check(WeightMatrix w, float[] x, int n, float[] out, String which) {
        int rows = w.rows(), cols = w.cols();
        if (n <= 0) throw new IllegalArgumentException("matmul needs at least one activation row, got " + n);
        if (x.length < (long) n * cols) {
            throw new IllegalArgumentException("%sactivations hold %d floats, need n*cols = %d*%d".formatted(which, x.length, n, cols));
        }
        if (out.length < (long) n * rows) {
            throw new IllegalArgumentException("%soutput holds %d floats, need n*rows = %d*%d".formatted(which, out.length, n, rows));
        }
    }

    private static int threads(ComputePool pool, int rows) {
        return Math.max(1, Math.min(pool.threads(), rows / MIN_ROWS_PER_THREAD));
    }

    /**
     * The first row of {@code w} at or after byte position {@code pos} of the concatenation, where {@code w}
     * occupies {@code [first, first+size)}: rounded to a multiple of {@link #ROW_ALIGN}, clamped to the matrix.
     * Adjacent slices use the same function for their shared edge, so slices never overlap or leave a gap.
     */
    static int boundary(WeightMatrix w, long pos, long first, long size) {
        if (pos <= first) return 0;
        if (pos >= first + size) return w.rows();
        long row = (pos - first) / w.rowBytes();
        int align = repacked(w) ? Math.max(ROW_ALIGN, RowGroupPanels.G) : ROW_ALIGN;
        long aligned = (row + align / 2) / align * align;
        return (int) Math.min(aligned, w.rows());
    }

    /** Output rows {@code from .. to-1} of {@code w} for all {@code n} activation rows. */
    private static void rows(WeightMatrix w, Activations a, int n, float[] out, int from, int to) {
        if (w instanceof Interleaved4Matrix m) {
            if (n <= Activations.QUANTIZED_ROWS) m.dotRows(a.xq, a.dx, a.xsum, n, out, from, to); else m.matmulRows(a.xdq, n, out, from, to);
        } else if (w instanceof Interleaved6Matrix m) {
            if (n <= Activations.QUANTIZED_ROWS) m.dotRows(a.xq, a.dx, n, out, from, to); else m.matmulRows(a.xdq, n, out, from, to);
        } else if (n == 1) {
            decodeRows(w, a, out, from, to);
        } else if (n >= PANEL_ROWS) {
            rowsTimesPanels(w, a.x, n, out, from, to);
        } else {
            rowsTimesBatch(w, a.x, n, out, from, to);
        }
    }

    /** One activation row: each type's decode kernel, straight from the blocks. */
    private static void decodeRows(WeightMatrix w, Activations a, float[] out, int from, int to) {
        float[] x = a.x;
        switch (w) {
            case Q4_0Matrix m -> m.dotRows(x, a.sums16, out, from, to);
            case Q4_KMatrix m -> m.dotRows(x, a.sums16, out, from, to);
            case Q5_KMatrix m -> m.dotRows(x, a.sums16, out, from, to);
            case F32Matrix m -> throw new AssertionError("F32 runs through f32Run");
            case Interleaved4Matrix m -> throw new AssertionError("repacked matrices run through their own kernels");
            case Interleaved6Matrix m -> throw new AssertionError("repacked matrices run through their own kernels");
            case F16Matrix m -> { for (int r = from; r < to; r++) out[r] = m.dot(r, x, 0); }
            case BF16Matrix m -> { for (int r = from; r < to; r++) out[r] = m.dot(r, x, 0); }
            case Q8_0Matrix m -> { for (int r = from; r < to; r++) out[r] = m.dot(r, x, 0); }
            // Folding Q6_K's -32 into the sums measured no faster (its decode, not the offset, is the cost).
            case Q6_KMatrix m -> { for (int r = from; r < to; r++) out[r] = m.dot(r, x, 0); }
            case Q4_1Matrix m -> { for (int r = from; r < to; r++) out[r] = m.dot(r, x, 0); }
            case Q5_0Matrix m -> { for (int r = from; r < to; r++) out[r] = m.dot(r, x, 0); }
            case Q5_1Matrix m -> { for (int r = from; r < to; r++) out[r] = m.dot(r, x, 0); }
            case Q2_KMatrix m -> { for (int r = from; r < to; r++) out[r] = m.dot(r, x, 0); }
            case Q3_KMatrix m -> { for (int r = from; r < to; r++) out[r] = m.dot(r, x, 0); }
        }
    }

    /**
     * Activation rows from which a matrix kept in its file's layout (Q8_0, F16, BF16, Q5_K, …) runs F32 panels
     * rather than {@link TileKernel#tile4x4}: the 4 × 4 tile loads a weight vector and an activation vector per 4
     * FMAs, and for long rows (8960 columns: 143 KB a tile) both come from L2; a panel feeds 6 FMAs from each L1
     * vector and broadcasts the activations (BENCHMARKS.md, "Prompts through panels on every type").
     */
    static final int PANEL_ROWS = 64;

    /**
     * Several activation rows, a matrix in its file's layout: {@link RowGroupPanels#G} weight rows at a time are
     * dequantized with the type's fast {@code dequantizeRow} into a band {@code [G][cols]}, transposed
     * {@link RowGroupPanels#COLS} columns at a time into a panel {@code [COLS][G]} (rows in lanes, as the repacked
     * matrices' panels), and multiplied with 6, then 4, then 1 activation rows at a time. Rows short of a whole
     * group run {@link #rowsTimesBatch}.
     */
    private static void rowsTimesPanels(WeightMatrix w, float[] x, int n, float[] out, int from, int to) {
        int rows = w.rows(), cols = w.cols(), g = RowGroupPanels.G;
        float[] band = scratch(g * cols), panel = RowGroupPanels.scratch();
        int r0 = from;
        for (; r0 + g <= to; r0 += g) {
            for (int k = 0; k < g; k++) w.dequantizeRow(r0 + k, band, k * cols);
            for (int c0 = 0; c0 < cols; c0 += RowGroupPanels.COLS) {
                int width = Math.min(RowGroupPanels.COLS, cols - c0);
                for (int k = 0; k < g; k++) {
                    for (int c = 0, b = k * cols + c0; c < width; c++) panel[c * g + k] = band[b + c];
                }
                RowGroupPanels.timesRows(panel, width, x, cols, n, c0, out, rows, r0, c0 == 0);
            }
        }
        if (r0 < to) rowsTimesBatch(w, x, n, out, r0, to);
    }

    /**
     * Several activation rows, quantized or F16/BF16 weights: {@value #TILE} weight rows dequantized into a scratch
     * tile, multiplied with the activation rows {@value #TILE} at a time.
     */
    private static void rowsTimesBatch(WeightMatrix w, float[] x, int n, float[] out, int from, int to) {
        int rows = w.rows(), cols = w.cols();
        float[] tile = scratch(TILE * cols); // [TILE][cols]
        int r = from;
        for (; r + TILE <= to; r += TILE) {
            for (int k = 0; k < TILE; k++) w.dequantizeRow(r + k, tile, k * cols);
            int i = 0;
            for (; i + TILE <= n; i += TILE) TileKernel.tile4x4(tile, cols, x, i * cols, out, i * rows + r, rows);
            for (; i < n; i++) VectorMath.dot4(tile, cols, x, i * cols, out, i * rows + r);
        }
        for (; r < to; r++) {
            w.dequantizeRow(r, tile, 0);
            for (int i = 0; i < n; i++) out[i * rows + r] = VectorMath.dot(tile, 0, x, i * cols, cols);
        }
    }

    /**
     * F32 weights: the original split (one slice of {@code rows * ith / nth} rows per thread, at least
     * {@value #F32_MIN_ROWS_PER_THREAD} rows each) and arithmetic, kept bit for bit — which rows fall in a full
     * tile and which in the tail decides their summation order.
     */
    private static void f32Run(F32Matrix w, float[] x, int n, float[] out, ComputePool pool) {
        int rows = w.rows();
        int nth = Math.max(1, Math.min(pool.threads(), rows / F32_MIN_ROWS_PER_THREAD));
        pool.run(nth, (ith, total) -> {
            int from = (int) ((long) rows * ith / total);
            int to = (int) ((long) rows * (ith + 1) / total);
            if (n == 1) {
                for (int r = from; r < to; r++) out[r] = w.dot(r, x, 0);
            } else {
                f32RowsTimesBatch(w, x, n, out, from, to);
            }
        });
    }

    private static final int F32_MIN_ROWS_PER_THREAD = 4;

    /** Several activation rows, F32 weights: the original arithmetic, kept bit for bit. */
    private static void f32RowsTimesBatch(WeightMatrix w, float[] x, int n, float[] out, int from, int to) {
        int rows = w.rows(), cols = w.cols();
        float[] tile = scratch(TILE * cols); // [TILE][cols]
        int r = from;
        for (; r + TILE <= to; r += TILE) {
            for (int k = 0; k < TILE; k++) w.dequantizeRow(r + k, tile, k * cols);
            for (int i = 0; i < n; i++) VectorMath.dot4(tile, cols, x, i * cols, out, i * rows + r);
        }
        for (; r < to; r++) {
            w.dequantizeRow(r, tile, 0);
            for (int i = 0; i < n; i++) out[i * rows + r] = VectorMath.dot(tile, 0, x, i * cols, cols);
        }
    }

    private static float[] scratch(int size) {
        float[] s = TILE_SCRATCH.get();
        if (s.length < size) {
            s = new float[size];
            TILE_SCRATCH.set(s);
        }
        return s;
    }
}
