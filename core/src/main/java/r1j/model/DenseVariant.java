package r1j.model;

/**
 * What tells the dense llama-family architectures apart. They run one forward ({@link DenseTransformer}); their
 * differences are data, as in llama.cpp's {@code src/models/llama.cpp}, {@code qwen2.cpp} and {@code qwen3.cpp},
 * which differ in exactly these points: how RoPE pairs a head's values, which Q/K/V biases the file must or may
 * have, whether each query and key head gets an RMSNorm before RoPE, and whether the feed-forward is one SwiGLU or
 * a mixture of experts ({@code qwen3moe.cpp}).
 *
 * @param ropeNeox true: rotate pairs {@code (i, i + ropeDims/2)} (NEOX); false: adjacent pairs {@code (2i, 2i+1)}
 * @param biases   the {@code attn_q/k/v.bias} tensors the file must, may or must not have
 * @param qkNorm   whether the file has {@code attn_q_norm} and {@code attn_k_norm} ({@code [headSize]} each)
 * @param moe      whether the feed-forward of every block is a mixture of experts ({@code ffn_gate_inp},
 *                 {@code ffn_*_exps}) instead of one SwiGLU
 */
record DenseVariant(boolean ropeNeox, Biases biases, boolean qkNorm, boolean moe) {

    /** Whether Q/K/V biases are part of the architecture. */
    enum Biases {
        /** Never (a file that has them is rejected, as llama.cpp rejects it). */
        NONE,
        /** Applied when the file has them (llama.cpp's {@code build_llama}). */
        OPTIONAL,
        /** Always. */
        REQUIRED
    }

    /** Llama 2/3 and DeepSeek-R1-Distill-Llama (Touvron et al. 2023). */
    static final DenseVariant LLAMA = new DenseVariant(false, Biases.OPTIONAL, false, false);

    /** Qwen2/2.5 and DeepSeek-R1-Distill-Qwen (Yang et al. 2024): learned Q/K/V biases, NEOX RoPE (base 1e6). */
    static final DenseVariant QWEN2 = new DenseVariant(true, Biases.REQUIRED, false, false);

    /**
     * Qwen3 and DeepSeek-R1-0528-Qwen3-8B (Qwen team 2025): no biases, an RMSNorm over each query and key head
     * (one weight shared by all heads), NEOX RoPE; the head size is {@code attention.key_length} and need not be
     * {@code dim / heads}.
     */
    static final DenseVariant QWEN3 = new DenseVariant(true, Biases.NONE, true, false);

    /**
     * Qwen3-MoE (Qwen3-30B-A3B, 235B-A22B): qwen3's attention, and in every block a mixture of experts instead of
     * the SwiGLU — softmax router, top-k experts with their weights renormalised ({@code norm_topk_prob}), no shared
     * experts (llama.cpp's {@code build_qwen3moe}).
     */
    static final DenseVariant QWEN3MOE = new DenseVariant(true, Biases.NONE, true, true);
}
