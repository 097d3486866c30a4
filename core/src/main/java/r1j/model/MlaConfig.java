package r1j.model;

/**
 * Widths of Multi-head Latent Attention (DeepSeek-V2, arXiv:2405.04434, section 2.1): queries go through an optional
 * low-rank bottleneck, keys and values share one compressed latent per token, and a small RoPE key is decoupled
 * from the compressed part and shared by all heads.
 *
 * @param qLoraRank  rank of the query bottleneck ({@code attention.q_lora_rank}); 0 when queries are projected
 *                   directly ({@code attn_q}, V2-Lite)
 * @param kvLoraRank rank of the compressed KV latent ({@code attention.kv_lora_rank}), d_c in the paper
 * @param nopeDim    per-head query/key width without position ({@code key_length - rope.dimension_count})
 * @param ropeDim    per-head width of the decoupled RoPE part ({@code rope.dimension_count}), d_h^R
 * @param valueDim   per-head value width ({@code attention.value_length})
 */
public record MlaConfig(int qLoraRank, int kvLoraRank, int nopeDim, int ropeDim, int valueDim) {

    public MlaConfig {
        if (qLoraRank < 0 || kvLoraRank <= 0 || nopeDim <= 0 || ropeDim <= 0 || valueDim <= 0 || ropeDim % 2 != 0) {
            throw new IllegalArgumentException(("MLA widths must be positive (q_lora_rank may be 0) and the rope width even:"
                    + " q_lora_rank %d, kv_lora_rank %d, nope %d, rope %d, value %d")
                    .formatted(qLoraRank, kvLoraRank, nopeDim, ropeDim, valueDim));
        }
    }

    /** Per-head query/key width: {@code nopeDim + ropeDim} ({@code attention.key_length}). */
    public int keyLength() { return nopeDim + ropeDim; }

    /** One token's cached latent: the normalised compressed vector and the rotated shared key. */
    public int latentDim() { return kvLoraRank + ropeDim; }

    /** Per-head rows of {@code attn_kv_b}: the key part, then the value part. */
    public int kvBRowsPerHead() { return nopeDim + valueDim; }
}
