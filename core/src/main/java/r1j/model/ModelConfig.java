package r1j.model;

/**
 * Hyper-parameters of a dense transformer as read from GGUF metadata ({@code <arch>.embedding_length} and friends).
 * Derived values are accessors.
 *
 * @param architecture  {@code general.architecture}: {@code llama}, {@code qwen2}, ...
 * @param dim           model width ({@code embedding_length})
 * @param hiddenDim     feed-forward width ({@code feed_forward_length})
 * @param layers        transformer blocks ({@code block_count})
 * @param heads         query heads ({@code attention.head_count})
 * @param kvHeads       key/value heads ({@code attention.head_count_kv}); grouped-query attention when fewer than heads
 * @param headSize      width of one head ({@code attention.key_length}, default dim / heads)
 * @param vocab         vocabulary size (rows of {@code token_embd.weight})
 * @param contextLength trained context ({@code context_length})
 * @param rmsEps        RMSNorm epsilon ({@code attention.layer_norm_rms_epsilon})
 * @param ropeTheta     RoPE base frequency ({@code rope.freq_base})
 * @param ropeDims      rotated dimensions per head ({@code rope.dimension_count}, default headSize)
 * @param ropeNeox      true: rotate pairs (i, i + ropeDims/2) as qwen2 does; false: adjacent pairs (2i, 2i+1) as llama
 * @param moe           the experts of a mixture-of-experts feed-forward in every block ({@code qwen3moe}), or
 *                      {@code null} for a SwiGLU of width hiddenDim
 */
public record ModelConfig(String architecture, int dim, int hiddenDim, int layers, int heads, int kvHeads, int headSize,
                          int vocab, int contextLength, float rmsEps, float ropeTheta, int ropeDims, boolean ropeNeox,
                          MoeConfig moe)
        implements ArchitectureConfig {

    public ModelConfig {
        if (dim <= 0 || hiddenDim <= 0 || layers <= 0 || heads <= 0 || kvHeads <= 0 || headSize <= 0 || vocab <= 0) {
            throw new IllegalArgumentException("model sizes must be positive: " + this);
        }
        if (ropeDims <= 0 || ropeDims > headSize || ropeDims % 2 != 0) {
            throw new IllegalArgumentException("rope.dimension_count %d must be even and within the head size %d".formatted(ropeDims, headSize));
        }
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException("head_count %d is not a multiple of head_count_kv %d".formatted(heads, kvHeads));
        }
    }

    /** Query heads that share one KV head. */
    public int groupSize() { return heads / kvHeads; }

    /** Width of all K (or V) heads of one token. */
    public int kvDim() { return kvHeads * headSize; }

    /** Width of all query heads of one token. */
    public int qDim() { return heads * headSize; }
}
