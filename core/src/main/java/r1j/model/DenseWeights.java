package r1j.model;

import static r1j.model.TensorNames.*;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import r1j.gguf.GgufFile;
import r1j.tensor.WeightMatrix;

/**
 * The weights of a dense llama-family transformer, named after their GGUF tensors. Matrices are views over the
 * mapped file (never copied); 1-D norm weights and biases are small and read into {@code float[]}.
 *
 * <p>Shapes in ggml terms {@code W [rows, cols]}: a product {@code W x} takes {@code x [cols]} to {@code [rows]}.
 *
 * @param tokenEmbd  {@code token_embd.weight} [vocab, dim]; row t is token t's embedding
 * @param layers     one entry per block
 * @param outputNorm {@code output_norm.weight} [dim]
 * @param output     {@code output.weight} [vocab, dim], or when the file ties them (no output.weight) {@code tokenEmbd}'s
 *                   data — repacked for the decode kernels like the projections, the table itself left on the file
 * @param ropeFreqs  {@code rope_freqs.weight} [ropeDims/2] frequency divisors (Llama 3.1), or {@code null} when absent
 */
public record DenseWeights(WeightMatrix tokenEmbd, List<Layer> layers, float[] outputNorm, WeightMatrix output,
                           float[] ropeFreqs) {

    /**
     * One transformer block. Bias and q/k norm fields are {@code null} where the architecture or file has none
     * (llama usually has no biases, qwen2 always has them, qwen3 has norms instead).
     *
     * @param attnNorm   {@code blk.N.attn_norm.weight} [dim]
     * @param attnQ      {@code blk.N.attn_q.weight} [heads * headSize, dim]
     * @param attnK      {@code blk.N.attn_k.weight} [kvHeads * headSize, dim]
     * @param attnV      {@code blk.N.attn_v.weight} [kvHeads * headSize, dim]
     * @param attnQBias  {@code blk.N.attn_q.bias} [heads * headSize] or null
     * @param attnKBias  {@code blk.N.attn_k.bias} [kvHeads * headSize] or null
     * @param attnVBias  {@code blk.N.attn_v.bias} [kvHeads * headSize] or null
     * @param attnQNorm  {@code blk.N.attn_q_norm.weight} [headSize] per-head query RMSNorm (qwen3), or null
     * @param attnKNorm  {@code blk.N.attn_k_norm.weight} [headSize] per-head key RMSNorm (qwen3), or null
     * @param attnOutput {@code blk.N.attn_output.weight} [dim, heads * headSize]
     * @param ffnNorm    {@code blk.N.ffn_norm.weight} [dim]
     * @param ffnGate    {@code blk.N.ffn_gate.weight} [hiddenDim, dim], or null in a mixture-of-experts block
     * @param ffnUp      {@code blk.N.ffn_up.weight} [hiddenDim, dim], or null likewise
     * @param ffnDown    {@code blk.N.ffn_down.weight} [dim, hiddenDim], or null likewise
     * @param moe        the router and experts of a mixture-of-experts block (qwen3moe), or null
     */
    public record Layer(float[] attnNorm, WeightMatrix attnQ, WeightMatrix attnK, WeightMatrix attnV,
                        float[] attnQBias, float[] attnKBias, float[] attnVBias, float[] attnQNorm, float[] attnKNorm,
                        WeightMatrix attnOutput,
                        float[] ffnNorm, WeightMatrix ffnGate, WeightMatrix ffnUp, WeightMatrix ffnDown,
                        MoeWeights moe) {}

    /**
     * Binds the tensors of {@code file} for {@code config}, checking every shape.
     *
     * @param variant which Q/K/V biases and per-head q/k norms the architecture has
     * @param repack  whether Q4_0/Q4_K/Q6_K projections and the output head are repacked ({@link WeightRepacker})
     * @throws ModelLoadException naming missing tensors, wrongly shaped ones, or tensors this architecture does not use
     */
    static DenseWeights load(GgufFile file, ModelConfig config, DenseVariant variant, boolean repack) {
        TensorBinder b = new TensorBinder(file);
        int dim = config.dim(), q = config.qDim(), kv = config.kvDim(), ff = config.hiddenDim(), vocab = config.vocab();
        WeightMatrix tokenEmbd = b.matrix(TOKEN_EMBD, vocab, dim);
        // the projections may be repacked for the decode kernels; the embedding table is read by row, so it stays on the
        // file — a tied output head gets a repacked copy of it (the head is a whole matrix read every decode step)
        WeightRepacker repacker = repack ? new WeightRepacker(file) : null;
        UnaryOperator<WeightMatrix> packed = repacker == null ? m -> m : repacker::repack;
        boolean moe = config.moe() != null;
        List<Layer> layers;
        float[] outputNorm, ropeFreqs;
        WeightMatrix output;
        try {
            layers = new ArrayList<>(config.layers());
            for (int l = 0; l < config.layers(); l++) {
                layers.add(new Layer(
                        b.vector(blk(l, ATTN_NORM), dim),
                        packed.apply(b.matrix(blk(l, ATTN_Q), q, dim)),
                        packed.apply(b.matrix(blk(l, ATTN_K), kv, dim)),
                        packed.apply(b.matrix(blk(l, ATTN_V), kv, dim)),
                        bias(b, blk(l, ATTN_Q_BIAS), q, variant.biases()),
                        bias(b, blk(l, ATTN_K_BIAS), kv, variant.biases()),
                        bias(b, blk(l, ATTN_V_BIAS), kv, variant.biases()),
                        variant.qkNorm() ? b.vector(blk(l, ATTN_Q_NORM), config.headSize()) : null,
                        variant.qkNorm() ? b.vector(blk(l, ATTN_K_NORM), config.headSize()) : null,
                        packed.apply(b.matrix(blk(l, ATTN_OUTPUT), dim, q)),
                        b.vector(blk(l, FFN_NORM), dim),
                        moe ? null : packed.apply(b.matrix(blk(l, FFN_GATE), ff, dim)),
                        moe ? null : packed.apply(b.matrix(blk(l, FFN_UP), ff, dim)),
                        moe ? null : packed.apply(b.matrix(blk(l, FFN_DOWN), dim, ff)),
                        moe ? MoeWeights.bind(b, l, config.moe(), dim) : null));
            }
            outputNorm = b.vector(OUTPUT_NORM, dim);
            output = packed.apply(file.tensor(OUTPUT) != null ? b.matrix(OUTPUT, vocab, dim) : tokenEmbd);
            ropeFreqs = file.tensor(ROPE_FREQS) != null ? b.vector(ROPE_FREQS, config.ropeDims() / 2) : null;
        } finally {
            if (repacker != null) repacker.close();
        }
        b.finish(config.architecture());
        return new DenseWeights(tokenEmbd, List.copyOf(layers), outputNorm, output, ropeFreqs);
    }

    /** A Q/K/V bias as the variant has it; {@code null} for none (an unbound bias tensor fails {@code finish}). */
    private static float[] bias(TensorBinder b, String name, int n, DenseVariant.Biases biases) {
        return switch (biases) {
            case NONE -> null;
            case OPTIONAL -> b.bias(name, n, false);
            case REQUIRED -> b.bias(name, n, true);
        };
    }
}
