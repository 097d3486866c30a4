package r1j.model;

/**
 * Receives the named intermediates of a forward pass, for finding the first layer where r1j and a reference
 * (llama.cpp's {@code GGML_SCHED} callback names) disagree. Off by default; when no trace is set the forward pass
 * does no extra work.
 *
 * <p>Names: {@code inp_embd}, then per layer {@code attn_norm}, {@code Qcur}, {@code Kcur} (after bias and RoPE),
 * {@code Vcur}, {@code kqv_out} (attention output before {@code attn_output}), {@code ffn_inp} (residual after
 * attention), {@code ffn_norm}, {@code ffn_out} (after {@code ffn_down}), {@code l_out} (residual after the FFN);
 * finally {@code result_norm} with layer -1. As in llama.cpp, the last layer's FFN intermediates ({@code ffn_inp} on)
 * and {@code result_norm} hold only the rows whose logits were requested, in batch order.
 */
@FunctionalInterface
public interface Trace {

    /**
     * One intermediate of the current batch.
     *
     * @param name  llama.cpp's name for it
     * @param layer block index, or -1 outside the blocks
     * @param data  row-major {@code [rows][cols]} starting at index 0; valid only during the call (copy to keep)
     * @param rows  batch rows
     * @param cols  values per row
     */
    void tensor(String name, int layer, float[] data, int rows, int cols);
}
