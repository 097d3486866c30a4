package r1j.tensor;

/**
 * The shared matrix product {@code out [n][rows] = x [n][cols] · Wᵀ}: output rows are split into one contiguous
 * slice per pool thread (static partitioning, one barrier). For one activation row the type's fused
 * {@link WeightMatrix#dot} kernel runs straight from the quantized blocks; for several, each weight row is
 * dequantized once into a per-thread scratch tile of {@value #TILE} rows and the tile is multiplied with every
 * activation row, so no block is decoded twice and each activation vector loaded feeds {@value #TILE} FMAs.
 */
final class MatMul {

    /** Below this many output rows per thread, splitting costs more than it saves. */
    private static final int MIN_ROWS_PER_THREAD = 4;

    /** Weight rows decoded together and multiplied as one tile. */
    static final int TILE = 4;

    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

    private MatMul() {}

    static void run(WeightMatrix w, float[] x, int n, float[] out, ComputePool pool) {
        int rows = w.rows();
        int cols = w.cols();
        if (n <= 0) throw new IllegalArgumentException("matmul needs at least one activation row, got " + n);
        if (x.length < (long) n * cols) {
            throw new IllegalArgumentException("activations hold %d floats, need n*cols = %d*%d".formatted(x.length, n, cols));
        }
        if (out.length < (long) n * rows) {
            throw new IllegalArgumentException("output holds %d floats, need n*rows = %d*%d".formatted(out.length, n, rows));
        }
        int nth = Math.max(1, Math.min(pool.threads(), rows / MIN_ROWS_PER_THREAD));
        pool.run(nth, (ith, total) -> {
            int from = (int) ((long) rows * ith / total);
            int to = (int) ((long) rows * (ith + 1) / total);
            if (n == 1) {
                for (int r = from; r < to; r++) out[r] = w.dot(r, x, 0);
            } else {
                rowsTimesBatch(w, x, n, out, from, to);
            }
        });
    }

    private static void rowsTimesBatch(WeightMatrix w, float[] x, int n, float[] out, int from, int to) {
        int rows = w.rows();
        int cols = w.cols();
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
        float[] s = SCRATCH.get();
        if (s.length < size) {
            s = new float[size];
            SCRATCH.set(s);
        }
        return s;
    }
}
