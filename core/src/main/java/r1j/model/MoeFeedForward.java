package r1j.model;

import java.util.Arrays;
import r1j.tensor.ComputePool;
import r1j.tensor.VectorMath;
import r1j.tensor.WeightMatrix;

/**
 * A mixture-of-experts feed-forward over a batch — DeepSeekMoE ({@code deepseek2}) and Qwen3-MoE ({@code qwen3moe},
 * no shared experts): {@code out = sum_j w_j * E_j(x) + S(x)} with the routed experts {@code E_j} chosen per row by
 * {@link ExpertRouter} and the shared experts {@code S}, when there are any, applied to every row.
 *
 * <p>Batched like ggml's {@code mul_mat_id}: after routing, the (row, expert) assignments are grouped by expert and
 * each expert's rows gathered into one block; then a single pool job computes gate and up for every used expert
 * (its weight rows split statically over the threads, each weight row decoded once and applied to all of that
 * expert's rows) and a second job computes down. A step therefore reads each used expert's weights once, touches
 * no page of an unused expert (they stay on disk under the mapping), and costs two barriers however many experts
 * the batch uses.
 */
final class MoeFeedForward {

    private final int dim;
    private final MoeConfig c;
    private final ComputePool pool;
    private final ExpertRouter router;
    private final ComputePool.Task gateUpTask = this::gateUpSlice;
    private final ComputePool.Task downTask = this::downSlice;

    private int capacity;     // rows the buffers hold
    private float[] logits;   // [n][experts] router logits
    private int[] chosen;     // [n][k] expert of assignment (row, j)
    private float[] weight;   // [n][k] its mixing weight
    private int[] slotOf;     // [n][k] index of assignment (row, j) in the grouped order
    private float[] xe;       // [n*k][dim] inputs gathered by expert
    private float[] g;        // [n*k][hidden] gate, then silu(gate) * up
    private float[] u;        // [n*k][hidden]
    private float[] d;        // [n*k][dim] expert outputs
    private float[] sg, su;   // [n][sharedHidden] shared experts' gate and up
    private final int[] count;   // [experts] assignments per expert in this step
    private final int[] start;   // [experts + 1] first grouped index of each expert
    private final int[] used;    // [experts] experts used in this step, ascending
    private int usedCount;
    private final float[][] scratch; // [thread][max(dim, hidden)] one decoded weight row
    private MoeWeights w;

    MoeFeedForward(int dim, MoeConfig config, ComputePool pool) {
        this.dim = dim;
        this.c = config;
        this.pool = pool;
        this.router = new ExpertRouter(config);
        this.count = new int[config.experts()];
        this.start = new int[config.experts() + 1];
        this.used = new int[config.experts()];
        this.scratch = new float[pool.threads()][Math.max(dim, config.expertHiddenDim())];
    }

    /** Experts chosen for row {@code row} of the last {@link #forward}, best first (for traces and tests). */
    int[] chosenExperts(int row) {
        return Arrays.copyOfRange(chosen, row * c.expertsUsed(), (row + 1) * c.expertsUsed());
    }

    /**
     * {@code out[i] = MoE(x[i])} for the {@code n} rows of {@code x [n][dim]}; {@code out} is overwritten.
     */
    void forward(MoeWeights weights, float[] x, int n, float[] out) {
        if (n == 0) return;
        ensure(n);
        int k = c.expertsUsed(), hidden = c.expertHiddenDim();
        weights.gateInp().matmul(x, n, logits, pool);
        for (int i = 0; i < n; i++) router.route(logits, i * c.experts(), weights.expProbsB(), chosen, weight, i * k);
        group(n);
        for (int a = 0; a < n * k; a++) System.arraycopy(x, (a / k) * dim, xe, slotOf[a] * dim, dim);
        w = weights;
        int nth = n * k * hidden < 4096 ? 1 : pool.threads();
        pool.run(nth, gateUpTask);
        VectorMath.siluMul(g, u, n * k * hidden, pool);
        pool.run(nth, downTask);
        w = null;
        Arrays.fill(out, 0, n * dim, 0f);
        for (int a = 0; a < n * k; a++) VectorMath.axpy(weight[a], d, slotOf[a] * dim, out, (a / k) * dim, dim);
        if (weights.shared() != null) shared(weights.shared(), x, n, out);
    }

    /** Counts the assignments per expert and numbers them in expert order (a counting sort). */
    private void group(int n) {
        int k = c.expertsUsed();
        Arrays.fill(count, 0);
        for (int a = 0; a < n * k; a++) count[chosen[a]]++;
        usedCount = 0;
        start[0] = 0;
        for (int e = 0; e < c.experts(); e++) {
            start[e + 1] = start[e] + count[e];
            if (count[e] > 0) used[usedCount++] = e;
        }
        Arrays.fill(count, 0);
        for (int a = 0; a < n * k; a++) {
            int e = chosen[a];
            slotOf[a] = start[e] + count[e]++;
        }
    }

    /** Worker {@code ith}: its share of the (used expert, gate-or-up, weight row) units. */
    private void gateUpSlice(int ith, int nth) {
        int hidden = c.expertHiddenDim();
        long total = 2L * usedCount * hidden;
        long from = total * ith / nth, to = total * (ith + 1) / nth;
        for (long unit = from; unit < to; unit++) {
            int e = used[(int) (unit / (2L * hidden))];
            int rest = (int) (unit % (2L * hidden));
            boolean isUp = rest >= hidden;
            int r = isUp ? rest - hidden : rest;
            rowTimesExpertRows(isUp ? w.up()[e] : w.gate()[e], r, e, xe, dim, isUp ? u : g, hidden, scratch[ith]);
        }
    }

    /** Worker {@code ith}: its share of the (used expert, down weight row) units. */
    private void downSlice(int ith, int nth) {
        int hidden = c.expertHiddenDim();
        long total = (long) usedCount * dim;
        long from = total * ith / nth, to = total * (ith + 1) / nth;
        for (long unit = from; unit < to; unit++) {
            int e = used[(int) (unit / dim)];
            int r = (int) (unit % dim);
            rowTimesExpertRows(w.down()[e], r, e, g, hidden, d, dim, scratch[ith]);
        }
    }

    /** {@code out[a][r] = W[r] . in[a]} for every grouped assignment {@code a} of expert {@code e}. */
    private void rowTimesExpertRows(WeightMatrix m, int r, int e, float[] in, int inWidth, float[] out, int outWidth, float[] row) {
        int a0 = start[e], a1 = start[e + 1];
        if (a1 - a0 == 1) {
            out[a0 * outWidth + r] = m.dot(r, in, a0 * inWidth);
            return;
        }
        m.dequantizeRow(r, row, 0);
        for (int a = a0; a < a1; a++) out[a * outWidth + r] = VectorMath.dot(row, 0, in, a * inWidth, inWidth);
    }

    /** {@code out += down(silu(gate x) * up x)} of the shared experts, for all rows. */
    private void shared(FeedForward s, float[] x, int n, float[] out) {
        int h = s.hidden();
        s.gate().matmul(x, n, sg, pool);
        s.up().matmul(x, n, su, pool);
        VectorMath.siluMul(sg, su, n * h, pool);
        s.down().matmul(sg, n, d, pool);
        VectorMath.add(out, 0, d, 0, n * dim);
    }

    private void ensure(int n) {
        if (n <= capacity) return;
        int rows = Math.max(n, Math.min(2 * capacity, 512));
        int k = c.expertsUsed(), hidden = c.expertHiddenDim(), sh = c.sharedExperts() * hidden;
        logits = new float[rows * c.experts()];
        chosen = new int[rows * k];
        weight = new float[rows * k];
        slotOf = new int[rows * k];
        xe = new float[rows * k * dim];
        g = new float[rows * k * hidden];
        u = new float[rows * k * hidden];
        d = new float[rows * Math.max(k, 1) * dim];
        sg = new float[rows * Math.max(sh, 1)];
        su = new float[rows * Math.max(sh, 1)];
        capacity = rows;
    }
}
