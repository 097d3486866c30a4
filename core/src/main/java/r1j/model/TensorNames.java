package r1j.model;

/**
 * The GGUF tensor names of dense llama-family models, in one place so a reader can grep from the file to the field
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

    private TensorNames() {}

    /** {@code blk.<layer>.<suffix>}. */
    static String blk(int layer, String suffix) {
        return "blk." + layer + "." + suffix;
    }
}
