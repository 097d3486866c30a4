/**
 * The trainable tiny transformer: hyper-parameters ({@link r1j.train.nn.TinyConfig}), parameters named after their
 * GGUF tensors ({@link r1j.train.nn.Params}), the {@code llama} forward pass on the autograd tape
 * ({@link r1j.train.nn.Transformer}), a KV-cached sampler for rollouts ({@link r1j.train.nn.Decoder}) and AdamW.
 * Depends on {@code r1j.train.autograd} and the JDK.
 */
package r1j.train.nn;
