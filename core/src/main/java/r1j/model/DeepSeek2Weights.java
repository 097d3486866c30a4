package r1j.model;

import static r1j.model.TensorNames.*;

import java.util.ArrayList;
import java.util.List;
import r1j.gguf.GgufFile;
import r1j.tensor.WeightMatrix;

/**
 * The weights of a {@code deepseek2} model, named after their GGUF tensors. Matrices (experts included) are views
 * over the mapped file: an expert's pages are read only when a token is routed to it.
 *
 * @param tokenEmbd  {@code token_embd.weight} [vocab, dim]
 * @param layers     one entry per block
 * @param outputNorm {@code output_norm.weight} [dim]
 * @param output     {@code output.weight} [vocab, dim]
 */
public record DeepSeek2Weights(WeightMatrix tokenEmbd, List<Layer> layers, float[] outputNorm, WeightMatrix output) {

    /**
     * One block. Exactly one of {@code attnQ} and ({@code attnQA}, {@code attnQANorm}, {@code attnQB}) is set, and
     * exactly one of {@code dense} and {@code moe}.
     *
     * @param attnNorm    {@code attn_norm.weight} [dim]
     * @param attnQ       {@code attn_q.weight} [heads * keyLength, dim], without a query bottleneck; else null
     * @param attnQA      {@code attn_q_a.weight} [qLoraRank, dim]
     * @param attnQANorm  {@code attn_q_a_norm.weight} [qLoraRank]
     * @param attnQB      {@code attn_q_b.weight} [heads * keyLength, qLoraRank]
     * @param attnKvAMqa  {@code attn_kv_a_mqa.weight} [kvLoraRank + ropeDim, dim]: the compressed latent, then the
     *                    shared rope key
     * @param attnKvANorm {@code attn_kv_a_norm.weight} [kvLoraRank]
     * @param attnKvB     {@code attn_kv_b.weight} [heads * (nopeDim + valueDim), kvLoraRank]: per head the key
     *                    up-projection W^UK (nopeDim rows), then the value up-projection W^UV (valueDim rows); or
     *                    null in files written since llama.cpp's MLA support, which split it into:
     * @param attnKB      {@code attn_k_b.weight}, ne [nopeDim, kvLoraRank, heads]: per head W^UK transposed,
     *                    [kvLoraRank, nopeDim]; null when {@code attnKvB} is set
     * @param attnVB      {@code attn_v_b.weight}, ne [kvLoraRank, valueDim, heads]: per head W^UV [valueDim, kvLoraRank]
     * @param attnOutput  {@code attn_output.weight} [dim, heads * valueDim]
     * @param ffnNorm     {@code ffn_norm.weight} [dim]
     * @param dense       SwiGLU of a leading dense block, or null
     * @param moe         experts of a MoE block, or null
     */
    public record Layer(float[] attnNorm, WeightMatrix attnQ, WeightMatrix attnQA, float[] attnQANorm, WeightMatrix attnQB,
                        WeightMatrix attnKvAMqa, float[] attnKvANorm, WeightMatrix attnKvB, WeightMatrix attnKB,
                        WeightMatrix attnVB, WeightMatrix attnOutput,
                        float[] ffnNorm, FeedForward dense, MoeWeights moe) {}

    /**
     * Binds the tensors of {@code file} for {@code c}, checking every shape.
     *
     * @throws ModelLoadException naming missing tensors, wrongly shaped ones, or tensors this architecture does not use
     */
    static DeepSeek2Weights load(GgufFile file, DeepSeek2Config c) {
        TensorBinder b = new TensorBinder(file);
        MlaConfig m = c.mla();
        MoeConfig e = c.moe();
        int dim = c.dim(), qDim = c.qDim();
        WeightMatrix tokenEmbd = b.matrix(TOKEN_EMBD, c.vocab(), dim);
        List<Layer> layers = new ArrayList<>(c.layers());
        for (int l = 0; l < c.layers(); l++) {
            boolean lora = m.qLoraRank() > 0;
            boolean split = !b.has(blk(l, ATTN_KV_B));
            FeedForward dense = null;
            MoeWeights moe = null;
            if (c.isMoe(l)) {
                moe = MoeWeights.bind(b, l, e, dim);
            } else {
                dense = new FeedForward(b.matrix(blk(l, FFN_GATE), c.hiddenDim(), dim),
                        b.matrix(blk(l, FFN_UP), c.hiddenDim(), dim), b.matrix(blk(l, FFN_DOWN), dim, c.hiddenDim()));
            }
            layers.add(new Layer(
                    b.vector(blk(l, ATTN_NORM), dim),
                    lora ? null : b.matrix(blk(l, ATTN_Q), qDim, dim),
                    lora ? b.matrix(blk(l, ATTN_Q_A), m.qLoraRank(), dim) : null,
                    lora ? b.vector(blk(l, ATTN_Q_A_NORM), m.qLoraRank()) : null,
                    lora ? b.matrix(blk(l, ATTN_Q_B), qDim, m.qLoraRank()) : null,
                    b.matrix(blk(l, ATTN_KV_A_MQA), m.latentDim(), dim),
                    b.vector(blk(l, ATTN_KV_A_NORM), m.kvLoraRank()),
                    split ? null : b.matrix(blk(l, ATTN_KV_B), c.heads() * m.kvBRowsPerHead(), m.kvLoraRank()),
                    split ? b.matrix3(blk(l, ATTN_K_B), c.heads(), m.kvLoraRank(), m.nopeDim()) : null,
                    split ? b.matrix3(blk(l, ATTN_V_B), c.heads(), m.valueDim(), m.kvLoraRank()) : null,
                    b.matrix(blk(l, ATTN_OUTPUT), dim, c.heads() * m.valueDim()),
                    b.vector(blk(l, FFN_NORM), dim),
                    dense, moe));
        }
        float[] outputNorm = b.vector(OUTPUT_NORM, dim);
        WeightMatrix output = b.has(OUTPUT) ? b.matrix(OUTPUT, c.vocab(), dim) : tokenEmbd;
        b.finish(c.architecture());
        return new DeepSeek2Weights(tokenEmbd, List.copyOf(layers), outputNorm, output);
    }
}
