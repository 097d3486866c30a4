package r1j.model;

/**
 * Scratch buffers of a dense forward pass, row-major per batch row, sized for the largest batch seen so that steps
 * of that size or smaller allocate nothing. They grow to the rows a step actually has (a decode-only run keeps
 * one-row buffers; attention's own scratch lives in {@link DenseAttention}).
 */
final class DenseActivations {

    private final ModelConfig c;
    int capacity;      // rows the row buffers hold
    float[] h;         // [n][dim] residual stream
    float[] x;         // [n][dim] normed input of a sub-block
    float[] q;         // [n][heads * headSize]
    float[] k;         // [n][kvHeads * headSize]
    float[] v;         // [n][kvHeads * headSize]
    float[] att;       // [n][heads * headSize] attention output, before attn_output
    float[] delta;     // [n][dim] sub-block output added to h
    float[] gate;      // [n][hiddenDim]
    float[] up;        // [n][hiddenDim]
    float[] cos;       // [n][ropeDims / 2] RoPE angles of each row's position
    float[] sin;       // [n][ropeDims / 2]

    DenseActivations(ModelConfig config) {
        this.c = config;
    }

    /** Makes room for {@code rows} batch rows. */
    void ensure(int rows) {
        if (rows > capacity) {
            int n = Math.max(rows, Math.min(2 * capacity, 512)); // doubling, so growing batches reallocate rarely
            h = new float[n * c.dim()];
            x = new float[n * c.dim()];
            q = new float[n * c.qDim()];
            k = new float[n * c.kvDim()];
            v = new float[n * c.kvDim()];
            att = new float[n * c.qDim()];
            delta = new float[n * c.dim()];
            gate = new float[n * c.hiddenDim()];
            up = new float[n * c.hiddenDim()];
            cos = new float[n * c.ropeDims() / 2];
            sin = new float[n * c.ropeDims() / 2];
            capacity = n;
        }
    }
}
