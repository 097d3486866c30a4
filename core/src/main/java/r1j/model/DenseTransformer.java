package r1j.model;

import r1j.gguf.GgufFile;
import r1j.tensor.GgmlType;
import r1j.tensor.ComputePool;
import r1j.tensor.MatMul;
import r1j.tensor.VectorMath;
import r1j.tensor.WeightMatrix;

/**
 * The dense llama-family transformer — {@code llama}, {@code qwen2}, {@code qwen3}, {@code qwen3moe} — as one forward: pre-norm
 * decoder blocks with RMSNorm, grouped-query attention with RoPE, SwiGLU feed-forward (llama.cpp's
 * {@code build_llama}, {@code build_qwen2}, {@code build_qwen3}, {@code build_qwen3moe}). What tells the
 * architectures apart is data ({@link DenseVariant}): the RoPE pairing lives in {@link Rope}; the Q/K/V biases
 * (llama when the file has them, qwen2), the per-head q/k norms (qwen3) and the experts that replace the SwiGLU
 * (qwen3moe, run by {@link MoeFeedForward}) are weights that are {@code null} where an architecture has none.
 * ("Dense" is the attention: per-head K and V in a {@link DenseKvCache}, unlike deepseek2's latent cache.)
 *
 * <p>Batched: every projection runs all rows of the batch through one {@link WeightMatrix#matmul}, so a step reads
 * each weight once however many sequences it serves. Rows may belong to different cache slots.
 */
final class DenseTransformer implements LanguageModel {

    private final ModelConfig config;
    private final DenseWeights weights;
    private final Rope rope;
    private final ComputePool pool;
    private final GgufFile file;
    private final DenseActivations act;
    private final DenseAttention attention;
    private final MoeFeedForward moe; // null without experts
    private final boolean allF32;
    private Trace trace;
    private boolean closed;
    // Per layer, the matrices that share an input and run as one parallel region: {attn_q, attn_k, attn_v} and
    // {ffn_gate, ffn_up}; the output arrays are refilled per call (the row buffers grow with the batch).
    private final WeightMatrix[][] qkv;
    private final WeightMatrix[][] gateUp;
    private final float[][] qkvOut = new float[3][];
    private final float[][] gateUpOut = new float[2][];

    /**
     * Reads the hyper-parameters and binds the weights of a dense model of the given variant, its projections
     * repacked for the decode kernels when {@code repack}.
     *
     * @throws ModelLoadException        for missing or misshapen metadata and tensors
     * @throws UnsupportedModelException for a RoPE scaling r1j does not implement
     */
    static DenseTransformer load(GgufFile file, String arch, DenseVariant variant, ComputePool pool, boolean repack) {
        ModelConfig config = GgufModelConfig.read(file, arch, variant);
        DenseWeights weights = DenseWeights.load(file, config, variant, repack);
        RopeScaling scaling = GgufModelConfig.ropeScaling(file.metadata(), arch, config.contextLength());
        Rope rope = new Rope(config.ropeDims(), config.ropeNeox(), config.ropeTheta(), weights.ropeFreqs(), scaling);
        return new DenseTransformer(file, config, weights, rope, pool);
    }

    private DenseTransformer(GgufFile file, ModelConfig config, DenseWeights weights, Rope rope, ComputePool pool) {
        this.file = file;
        this.config = config;
        this.weights = weights;
        this.rope = rope;
        this.pool = pool;
        this.act = new DenseActivations(config);
        this.attention = new DenseAttention(config, pool);
        this.moe = config.moe() == null ? null : new MoeFeedForward(config.dim(), config.moe(), pool);
        this.allF32 = file.tensors().stream().allMatch(t -> t.type() == GgmlType.F32);
        this.qkv = new WeightMatrix[config.layers()][];
        this.gateUp = new WeightMatrix[config.layers()][];
        for (int l = 0; l < config.layers(); l++) {
            DenseWeights.Layer w = weights.layers().get(l);
            qkv[l] = new WeightMatrix[] {w.attnQ(), w.attnK(), w.attnV()};
            gateUp[l] = new WeightMatrix[] {w.ffnGate(), w.ffnUp()};
        }
    }

    @Override
    public void forward(Batch batch, KvCache kvCache, float[] logits) {
        DenseKvCache cache = begin(batch, kvCache, logits);
        DenseActivations a = act;
        int n = batch.size();
        embed(batch, a.h);
        for (int l = 0; l < config.layers(); l++) {
            DenseWeights.Layer w = weights.layers().get(l);
            // self-attention: h += W_o attn(rope(norm_q(W_q x + b_q)), rope(norm_k(W_k x + b_k)), W_v x + b_v),
            // x = rmsNorm(h); the biases and the per-head norms only where the architecture has them
            rmsNorm(a.h, w.attnNorm(), a.x, n);
            trace("attn_norm", l, a.x, n, config.dim());
            projectQkv(l, a.x, n);
            addBias(a.q, w.attnQBias(), n);
            addBias(a.k, w.attnKBias(), n);
            addBias(a.v, w.attnVBias(), n);
            headNorm(a.q, w.attnQNorm(), config.heads(), n);
            headNorm(a.k, w.attnKNorm(), config.kvHeads(), n);
            applyRope(a.q, config.heads(), n);
            applyRope(a.k, config.kvHeads(), n);
            trace("Qcur", l, a.q, n, config.qDim());
            trace("Kcur", l, a.k, n, config.kvDim());
            trace("Vcur", l, a.v, n, config.kvDim());
            attention(cache, l, batch, a.q, a.k, a.v, a.att);
            trace("kqv_out", l, a.att, n, config.qDim());
            project(w.attnOutput(), a.att, a.delta, n);
            addResidual(a.h, a.delta, n);
            if (l == config.layers() - 1) n = keepLogitRows(batch, a.h);
            trace("ffn_inp", l, a.h, n, config.dim());
            // feed-forward: h += W_down(silu(W_gate x) * W_up x), x = rmsNorm(h); or h += sum_j w_j E_j(x) over
            // the experts the router picks for x (qwen3moe)
            rmsNorm(a.h, w.ffnNorm(), a.x, n);
            trace("ffn_norm", l, a.x, n, config.dim());
            if (w.moe() != null) {
                moe.forward(w.moe(), a.x, n, a.delta);
            } else {
                swiGlu(l, w.ffnDown(), a.x, a.delta, n);
            }
            trace("ffn_out", l, a.delta, n, config.dim());
            addResidual(a.h, a.delta, n);
            trace("l_out", l, a.h, n, config.dim());
        }
        finish(batch, cache, a.h, n, logits);
    }

    @Override
    public ModelConfig config() { return config; }

    /** The weights, for inspection and tests. */
    public DenseWeights weights() { return weights; }

    /** F32 when every tensor of the file is F32 (a model trained here must stay bit-reproducible), else F16. */
    @Override
    public KvCacheType defaultCacheType() {
        return KvCacheType.AUTO.resolve(allF32);
    }

    @Override
    public KvCache newCache(int slots, int contextLength, KvCacheType type) {
        return new DenseKvCache(type.resolve(allF32), slots, config.layers(), config.kvHeads(), config.headSize(), contextLength);
    }

    @Override
    public void setTrace(Trace trace) { this.trace = trace; }

    /** Unmaps the file; later calls do nothing. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            file.close();
        }
    }

    /**
     * Checks the batch against the cache and the logits buffer before anything is written, sizes the buffers and
     * computes each row's RoPE angles.
     */
    private DenseKvCache begin(Batch batch, KvCache kvCache, float[] logits) {
        if (!(kvCache instanceof DenseKvCache cache) || cache.layers() != config.layers()
                || cache.kvHeads() != config.kvHeads() || cache.headSize() != config.headSize()) {
            throw new IllegalArgumentException("KV cache does not belong to this model; create it with newCache()");
        }
        for (int i = 0; i < batch.size(); i++) {
            int t = batch.tokens()[i];
            if (t < 0 || t >= config.vocab()) {
                throw new IllegalArgumentException("batch row %d: token id %d is outside the vocabulary [0, %d)".formatted(i, t, config.vocab()));
            }
        }
        cache.checkRows(batch);
        long need = (long) batch.logitRows() * config.vocab();
        if (logits.length < need) {
            throw new IllegalArgumentException("logits buffer holds %d floats, the batch needs %d (%d rows x vocab %d)"
                    .formatted(logits.length, need, batch.logitRows(), config.vocab()));
        }
        int n = batch.size();
        act.ensure(n);
        int half = rope.dims() / 2;
        for (int i = 0; i < n; i++) rope.angles(batch.positions()[i], act.cos, act.sin, i * half);
        return cache;
    }

    /** {@code h[i] = token_embd[tokens[i]]}. */
    private void embed(Batch batch, float[] h) {
        for (int i = 0; i < batch.size(); i++) weights.tokenEmbd().dequantizeRow(batch.tokens()[i], h, i * config.dim());
        trace("inp_embd", -1, h, batch.size(), config.dim());
    }

    /** {@code out[i] = rmsNorm(in[i]) * weight} for each of {@code n} rows of width dim. */
    private void rmsNorm(float[] in, float[] weight, float[] out, int n) {
        int d = config.dim();
        for (int i = 0; i < n; i++) VectorMath.rmsNorm(out, i * d, in, i * d, weight, d, config.rmsEps());
    }

    /** {@code out[i] = W x[i]} for all {@code n} rows at once: W [rows, cols] @ x [n][cols] -> out [n][rows]. */
    private void project(WeightMatrix w, float[] x, float[] out, int n) {
        if (n > 0) w.matmul(x, n, out, pool);
    }

    /**
     * {@code q = W_q x, k = W_k x, v = W_v x} (into {@code act.q/k/v}) for all {@code n} rows of layer {@code layer},
     * in one parallel region: each output equals its own {@link #project}.
     */
    private void projectQkv(int layer, float[] x, int n) {
        if (n == 0) return;
        qkvOut[0] = act.q;
        qkvOut[1] = act.k;
        qkvOut[2] = act.v;
        MatMul.runAll(qkv[layer], x, n, qkvOut, pool);
    }

    /** {@code x[i] += bias} for each of {@code n} rows; nothing when the model has no bias. */
    private static void addBias(float[] x, float[] bias, int n) {
        if (bias == null) return;
        for (int i = 0; i < n; i++) VectorMath.add(x, i * bias.length, bias, 0, bias.length);
    }

    /** RMSNorm of every {@code headSize}-wide head of every row of {@code x [n][heads * headSize]}, in place; nothing without a norm. */
    private void headNorm(float[] x, float[] weight, int heads, int n) {
        if (weight == null) return;
        int hs = config.headSize();
        for (int i = 0; i < n * heads; i++) VectorMath.rmsNorm(x, i * hs, x, i * hs, weight, hs, config.rmsEps());
    }

    /** Rotates every head of every row by its row's position ({@code x [n][heads * headSize]}). */
    private void applyRope(float[] x, int heads, int n) {
        int hs = config.headSize(), half = rope.dims() / 2;
        for (int i = 0; i < n; i++) {
            for (int hd = 0; hd < heads; hd++) rope.rotate(x, (i * heads + hd) * hs, act.cos, act.sin, i * half);
        }
    }

    /**
     * Causal grouped-query attention: writes each row's K and V into the cache at (slot, position), then for every
     * (row, head) {@code out = softmax(q k^T / sqrt(headSize)) v} over positions 0..pos of the row's slot, using KV
     * head {@code head / groupSize} ({@link DenseAttention}).
     */
    private void attention(DenseKvCache cache, int layer, Batch batch, float[] q, float[] k, float[] v, float[] out) {
        int kvDim = config.kvDim();
        for (int i = 0; i < batch.size(); i++) {
            cache.store(batch.slots()[i], layer, batch.positions()[i], k, i * kvDim, v, i * kvDim);
        }
        attention.run(cache, layer, batch, q, out);
    }

    /** SwiGLU feed-forward (Shazeer 2020): {@code out = W_down (silu(W_gate x) * (W_up x))} for all rows. */
    private void swiGlu(int layer, WeightMatrix down, float[] x, float[] out, int n) {
        if (n > 0) {
            // gate and up share x: one parallel region
            gateUpOut[0] = act.gate;
            gateUpOut[1] = act.up;
            MatMul.runAll(gateUp[layer], x, n, gateUpOut, pool);
        }
        VectorMath.siluMul(act.gate, act.up, n * config.hiddenDim(), pool);
        project(down, act.gate, out, n);
    }

    /** {@code h += delta} over {@code n} rows of width dim. */
    private void addResidual(float[] h, float[] delta, int n) {
        VectorMath.add(h, 0, delta, 0, n * config.dim());
    }

    /**
     * llama.cpp's {@code inp_out_ids}: after the last layer's attention only the rows whose logits are wanted matter,
     * so they are packed to the front of {@code h} (in order) and the last feed-forward runs on them alone — a
     * prefill chunk that wants one row of logits skips that FFN for the others.
     *
     * @return the number of rows kept
     */
    private int keepLogitRows(Batch batch, float[] h) {
        int d = config.dim(), m = 0;
        for (int i = 0; i < batch.size(); i++) {
            if (batch.wantLogits()[i]) {
                if (m != i) System.arraycopy(h, i * d, h, m * d, d);
                m++;
            }
        }
        return m;
    }

    /**
     * Final norm and output head on the {@code m} rows left by {@link #keepLogitRows}, written straight into
     * {@code logits}; then the cache records the batch.
     */
    private void finish(Batch batch, DenseKvCache cache, float[] h, int m, float[] logits) {
        rmsNorm(h, weights.outputNorm(), act.x, m);
        trace("result_norm", -1, act.x, m, config.dim());
        project(weights.output(), act.x, logits, m);
        cache.commit(batch);
    }

    /** Hands an intermediate to the trace, if one is set. */
    private void trace(String name, int layer, float[] data, int rows, int cols) {
        if (trace != null) trace.tensor(name, layer, data, rows, cols);
    }
}
