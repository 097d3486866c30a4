package r1j.model;

/**
 * Scratch buffers of a dense forward pass, row-major per batch row, sized once for the largest batch seen (and the
 * largest cache context for attention scores) so that steps of that size or smaller allocate nothing.
 */
final class DenseActivations {

    private final ModelConfig c;
    private final int threads;
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
    float[][] scores;  // [thread][context] attention weights of one (row, head)

    DenseActivations(ModelConfig config, int threads) {
        this.c = config;
        this.threads = threads;
        this.scores = new float[threads][0];
    }

    /** Makes room for {@code rows} batch rows attending over up to {@code context} positions. */
    void ensure(int rows, int context) {
        if (rows > capacity) {
            int n = Math.max(rows, Math.min(2 * capacity, 512));
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
        if (scores[0].length < context) {
            for (int t = 0; t < threads; t++) scores[t] = new float[context];
        }
    }
}
