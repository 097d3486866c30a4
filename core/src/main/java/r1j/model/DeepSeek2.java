package r1j.model;

import r1j.gguf.GgufFile;
import r1j.tensor.ComputePool;
import r1j.tensor.VectorMath;
import r1j.tensor.WeightMatrix;

/**
 * DeepSeek-V2 / V3 / R1 ({@code deepseek2}): pre-norm blocks of Multi-head Latent Attention (arXiv:2405.04434 section
 * 2.1) and, after {@code leading_dense_block_count} dense SwiGLU blocks, DeepSeekMoE feed-forwards (section 2.2;
 * V3's sigmoid routing with bias, arXiv:2412.19437). Computes what llama.cpp's {@code build_deepseek2} computes, with
 * the latent KV cache and absorbed up-projections of {@link LatentAttention} instead of decompressed K and V.
 *
 * <p>Per block, for each row: {@code x = rmsNorm(h)};
 * {@code q = W^QB rmsNorm(W^QA x)} (or {@code W^Q x} without a query bottleneck), per head {@code [q^C | q^R]} with
 * RoPE on {@code q^R}; {@code [c | k^R] = W^KV_A x}, the latent {@code c} normalised and the shared {@code k^R}
 * rotated, both cached; attention; {@code h += W^O attn}; then {@code h += FFN(rmsNorm(h))}.
 */
final class DeepSeek2 implements LanguageModel {

    private final GgufFile file;
    private final DeepSeek2Config config;
    private final DeepSeek2Weights weights;
    private final Rope rope;
    private final ComputePool pool;
    private final LatentAttention attention;
    private final MoeFeedForward moe;
    private Trace trace;
    private boolean closed;

    // activations, [n][width] row-major, sized for the largest batch seen
    private int capacity;
    private float[] h, x, q, qa, kva, att, delta, gate, up, cos, sin;

    /**
     * Reads the hyper-parameters and binds the weights of a {@code deepseek2} file.
     *
     * @throws ModelLoadException        for missing or misshapen metadata and tensors
     * @throws UnsupportedModelException for a gating function or RoPE scaling r1j does not implement
     */
    static DeepSeek2 load(GgufFile file, String arch, ComputePool pool) {
        DeepSeek2Config config = DeepSeek2Config.read(file, arch);
        DeepSeek2Weights weights = DeepSeek2Weights.load(file, config);
        return new DeepSeek2(file, config, weights, DeepSeek2Config.rope(file, config), pool);
    }

    DeepSeek2(GgufFile file, DeepSeek2Config config, DeepSeek2Weights weights, Rope rope, ComputePool pool) {
        this.file = file;
        this.config = config;
        this.weights = weights;
        this.rope = rope;
        this.pool = pool;
        this.attention = new LatentAttention(config, pool);
        this.moe = new MoeFeedForward(config.dim(), config.moe(), pool);
    }

    @Override
    public DeepSeek2Config config() { return config; }

    public DeepSeek2Weights weights() { return weights; }

    /**
     * A latent cache: {@code kvLoraRank + ropeDim} floats per token and layer. It is F32 whatever {@code type} asks:
     * the latent is already 9-71x smaller than per-head K and V.
     */
    @Override
    public KvCache newCache(int slots, int contextLength, KvCacheType type) {
        return new LatentKvCache(slots, config.layers(), config.mla().latentDim(), contextLength);
    }

    @Override
    public KvCacheType defaultCacheType() { return KvCacheType.F32; }

    @Override
    public void setTrace(Trace trace) { this.trace = trace; }

    @Override
    public void forward(Batch batch, KvCache kvCache, float[] logits) {
        LatentKvCache cache = begin(batch, kvCache, logits);
        MlaConfig m = config.mla();
        int n = batch.size(), dim = config.dim(), qDim = config.qDim(), lat = m.latentDim(), half = rope.dims() / 2;
        for (int i = 0; i < n; i++) weights.tokenEmbd().dequantizeRow(batch.tokens()[i], h, i * dim);
        trace("inp_embd", -1, h, n, dim);
        for (int l = 0; l < config.layers(); l++) {
            DeepSeek2Weights.Layer w = weights.layers().get(l);
            rmsNorm(h, w.attnNorm(), x, n, dim);
            trace("attn_norm", l, x, n, dim);
            // queries, optionally through the low-rank bottleneck
            if (w.attnQ() != null) {
                project(w.attnQ(), x, q, n);
            } else {
                project(w.attnQA(), x, qa, n);
                rmsNorm(qa, w.attnQANorm(), qa, n, m.qLoraRank());
                project(w.attnQB(), qa, q, n);
            }
            // compressed latent and shared rope key
            project(w.attnKvAMqa(), x, kva, n);
            for (int i = 0; i < n; i++) {
                VectorMath.rmsNorm(kva, i * lat, kva, i * lat, w.attnKvANorm(), m.kvLoraRank(), config.rmsEps());
                rope.rotate(kva, i * lat + m.kvLoraRank(), cos, sin, i * half);
                for (int hd = 0; hd < config.heads(); hd++) {
                    rope.rotate(q, i * qDim + hd * m.keyLength() + m.nopeDim(), cos, sin, i * half);
                }
                cache.store(batch.slots()[i], l, batch.positions()[i], kva, i * lat);
            }
            trace("q_pe_rot", l, q, n, qDim);
            trace("kv_latent", l, kva, n, lat);
            attention.attend(cache, l, batch, w, q, att);
            trace("kqv_out", l, att, n, config.heads() * m.valueDim());
            project(w.attnOutput(), att, delta, n);
            VectorMath.add(h, 0, delta, 0, n * dim);
            if (l == config.layers() - 1) n = keepLogitRows(batch, h, dim);
            trace("ffn_inp", l, h, n, dim);
            rmsNorm(h, w.ffnNorm(), x, n, dim);
            trace("ffn_norm", l, x, n, dim);
            if (w.dense() != null) {
                swiGlu(w.dense(), x, delta, n);
            } else {
                moe.forward(w.moe(), x, n, delta);
            }
            trace("ffn_out", l, delta, n, dim);
            VectorMath.add(h, 0, delta, 0, n * dim);
            trace("l_out", l, h, n, dim);
        }
        rmsNorm(h, weights.outputNorm(), x, n, dim);
        trace("result_norm", -1, x, n, dim);
        project(weights.output(), x, logits, n);
        cache.commit(batch);
    }

    /** Experts chosen for row {@code row} (of the rows that reached it) in the last MoE block of the last forward. */
    int[] lastRouting(int row) {
        return moe.chosenExperts(row);
    }

    private LatentKvCache begin(Batch batch, KvCache kvCache, float[] logits) {
        if (!(kvCache instanceof LatentKvCache cache) || cache.layers() != config.layers()
                || cache.latentDim() != config.mla().latentDim()) {
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
        ensure(batch.size());
        int half = rope.dims() / 2;
        for (int i = 0; i < batch.size(); i++) rope.angles(batch.positions()[i], cos, sin, i * half);
        return cache;
    }

    private void ensure(int rows) {
        if (rows <= capacity) return;
        int n = Math.max(rows, Math.min(2 * capacity, 512));
        MlaConfig m = config.mla();
        int dim = config.dim();
        h = new float[n * dim];
        x = new float[n * dim];
        q = new float[n * config.qDim()];
        qa = new float[n * Math.max(1, m.qLoraRank())];
        kva = new float[n * m.latentDim()];
        att = new float[n * config.heads() * m.valueDim()];
        delta = new float[n * dim];
        gate = new float[n * config.hiddenDim()];
        up = new float[n * config.hiddenDim()];
        cos = new float[n * rope.dims() / 2];
        sin = new float[n * rope.dims() / 2];
        capacity = n;
    }

    private void rmsNorm(float[] in, float[] weight, float[] out, int n, int width) {
        for (int i = 0; i < n; i++) VectorMath.rmsNorm(out, i * width, in, i * width, weight, width, config.rmsEps());
    }

    private void project(WeightMatrix w, float[] in, float[] out, int n) {
        if (n > 0) w.matmul(in, n, out, pool);
    }

    private void swiGlu(FeedForward f, float[] in, float[] out, int n) {
        project(f.gate(), in, gate, n);
        project(f.up(), in, up, n);
        VectorMath.siluMul(gate, up, n * f.hidden(), pool);
        project(f.down(), gate, out, n);
    }

    /** llama.cpp's {@code inp_out_ids}: only rows whose logits are wanted go through the last FFN. */
    private static int keepLogitRows(Batch batch, float[] h, int d) {
        int m = 0;
        for (int i = 0; i < batch.size(); i++) {
            if (batch.wantLogits()[i]) {
                if (m != i) System.arraycopy(h, i * d, h, m * d, d);
                m++;
            }
        }
        return m;
    }

    private void trace(String name, int layer, float[] data, int rows, int cols) {
        if (trace != null) trace.tensor(name, layer, data, rows, cols);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            file.close();
        }
    }
}
