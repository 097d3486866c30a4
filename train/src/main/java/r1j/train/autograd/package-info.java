/**
 * Reverse-mode automatic differentiation over row-major float matrices: a {@link r1j.train.autograd.Tape} records
 * each op's backward step while the forward pass runs, then replays them in reverse. The ops are exactly the ones of
 * the dense {@code llama} transformer (embedding, matmul, RMSNorm, RoPE, causal attention, SwiGLU, cross-entropy) plus
 * the GRPO token objective. Depends on the JDK and, for the matmul kernel, {@code r1j.tensor.FloatMatMul} (the one
 * package that uses the Vector API).
 */
package r1j.train.autograd;
