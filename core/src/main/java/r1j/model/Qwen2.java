package r1j.model;

import r1j.gguf.GgufFile;
import r1j.tensor.ComputePool;

/**
 * Qwen2 (Yang et al. 2024; DeepSeek-R1-Distill-Qwen): llama's block with learned Q/K/V biases and NEOX-style RoPE
 * (pairs {@code (i, i + headSize/2)}, base 1e6 in the released models). Mirrors llama.cpp's {@code build_qwen2}.
 */
final class Qwen2 extends DenseTransformer {

    Qwen2(GgufFile file, ModelConfig config, DenseWeights weights, Rope rope, ComputePool pool) {
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
            // self-attention with biased projections: h += W_o attn(rope(W_q x + b_q), rope(W_k x + b_k), W_v x + b_v)
            rmsNorm(a.h, w.attnNorm(), a.x, n);
            trace("attn_norm", l, a.x, n, config.dim());
            projectQkv(l, a.x, n);
            addBias(a.q, w.attnQBias(), n);
            addBias(a.k, w.attnKBias(), n);
            addBias(a.v, w.attnVBias(), n);
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
            // feed-forward: h += W_down(silu(W_gate x) * W_up x), x = rmsNorm(h)
            rmsNorm(a.h, w.ffnNorm(), a.x, n);
            trace("ffn_norm", l, a.x, n, config.dim());
            swiGlu(l, w.ffnDown(), a.x, a.delta, n);
            trace("ffn_out", l, a.delta, n, config.dim());
            addResidual(a.h, a.delta, n);
            trace("l_out", l, a.h, n, config.dim());
        }
        finish(batch, cache, a.h, n, logits);
    }
}
