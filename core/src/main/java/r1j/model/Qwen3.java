package r1j.model;

import r1j.gguf.GgufFile;
import r1j.tensor.ComputePool;
import r1j.tensor.VectorMath;

/**
 * Qwen3 (Qwen team 2025; DeepSeek-R1-0528-Qwen3-8B): llama's block without Q/K/V biases but with an RMSNorm over
 * each query and key head ({@code attn_q_norm}, {@code attn_k_norm}, one {@code [headSize]} weight shared by all
 * heads) before NEOX-style RoPE. The head size is {@code attention.key_length} and need not be {@code dim / heads}.
 * Mirrors llama.cpp's {@code build_qwen3}.
 */
final class Qwen3 extends DenseTransformer {

    Qwen3(GgufFile file, ModelConfig config, DenseWeights weights, Rope rope, ComputePool pool) {
        super(file, config, weights, rope, pool);
    }

    @Override
    public void forward(Batch batch, KvCache kvCache, float[] logits) {
        DenseKvCache cache = begin(batch, kvCache, logits);
        DenseActivations a = act;
        int n = batch.size();
        embed(batch, a.h);
        for (int l = 0; l < config.layers(); l++) {
            DenseWeights.Layer w = weights.layers().get(l);
            // self-attention: h += W_o attn(rope(norm_q(W_q x)), rope(norm_k(W_k x)), W_v x), x = rmsNorm(h)
            rmsNorm(a.h, w.attnNorm(), a.x, n);
            trace("attn_norm", l, a.x, n, config.dim());
            projectQkv(l, a.x, n);
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
            rmsNorm(a.h, w.ffnNorm(), a.x, n);
            trace("ffn_norm", l, a.x, n, config.dim());
            swiGlu(l, w.ffnDown(), a.x, a.delta, n);
            trace("ffn_out", l, a.delta, n, config.dim());
            addResidual(a.h, a.delta, n);
            trace("l_out", l, a.h, n, config.dim());
        }
        finish(batch, cache, a.h, n, logits);
    }

    /** RMSNorm of every {@code headSize}-wide head of every row of {@code x [n][heads * headSize]}, in place. */
    private void headNorm(float[] x, float[] weight, int heads, int n) {
        int hs = config.headSize();
        for (int i = 0; i < n * heads; i++) VectorMath.rmsNorm(x, i * hs, x, i * hs, weight, hs, config.rmsEps());
    }
}
