package r1j.model;

/**
 * The GGUF tensor names of the supported architectures, in one place so a reader can grep from the file to the field
 * (llama.cpp's {@code LLM_TENSOR_NAMES}). Per-block names are {@code blk.<layer>.<suffix>}.
 */
final class TensorNames {

    static final String TOKEN_EMBD = "token_embd.weight";
    static final String OUTPUT_NORM = "output_norm.weight";
    static final String OUTPUT = "output.weight";
    static final String ROPE_FREQS = "rope_freqs.weight";

    static final String ATTN_NORM = "attn_norm.weight";
    static final String ATTN_Q = "attn_q.weight";
    static final String ATTN_K = "attn_k.weight";
    static final String ATTN_V = "attn_v.weight";
    static final String ATTN_Q_BIAS = "attn_q.bias";
    static final String ATTN_K_BIAS = "attn_k.bias";
    static final String ATTN_V_BIAS = "attn_v.bias";
    static final String ATTN_OUTPUT = "attn_output.weight";
    static final String FFN_NORM = "ffn_norm.weight";
    static final String FFN_GATE = "ffn_gate.weight";
    static final String FFN_UP = "ffn_up.weight";
    static final String FFN_DOWN = "ffn_down.weight";

    // qwen3: per-head RMSNorm of queries and keys
    static final String ATTN_Q_NORM = "attn_q_norm.weight";
    static final String ATTN_K_NORM = "attn_k_norm.weight";

    // deepseek2: Multi-head Latent Attention
    static final String ATTN_Q_A = "attn_q_a.weight";
    static final String ATTN_Q_A_NORM = "attn_q_a_norm.weight";
    static final String ATTN_Q_B = "attn_q_b.weight";
    static final String ATTN_KV_A_MQA = "attn_kv_a_mqa.weight";
    static final String ATTN_KV_A_NORM = "attn_kv_a_norm.weight";
    static final String ATTN_KV_B = "attn_kv_b.weight";
    static final String ATTN_K_B = "attn_k_b.weight";
    static final String ATTN_V_B = "attn_v_b.weight";

    // mixture of experts: router, score-correction bias, stacked routed experts, shared experts
    static final String FFN_GATE_INP = "ffn_gate_inp.weight";
    static final String EXP_PROBS_B = "exp_probs_b.bias";
    static final String FFN_GATE_EXPS = "ffn_gate_exps.weight";
    static final String FFN_UP_EXPS = "ffn_up_exps.weight";
    static final String FFN_DOWN_EXPS = "ffn_down_exps.weight";
    static final String FFN_GATE_SHEXP = "ffn_gate_shexp.weight";
    static final String FFN_UP_SHEXP = "ffn_up_shexp.weight";
    static final String FFN_DOWN_SHEXP = "ffn_down_shexp.weight";

    private TensorNames() {}

    /** {@code blk.<layer>.<suffix>}. */
    static String blk(int layer, String suffix) {
        return "blk." + layer + "." + suffix;
    }
}
