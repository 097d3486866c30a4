/**
 * The transformer itself: {@link r1j.model.ModelConfig} read from GGUF metadata, per-architecture weights that are
 * views over the mapped file, the batched forward passes (one dense forward for {@code llama}, {@code qwen2} and
 * {@code qwen3}; MLA + mixture of experts for {@code deepseek2}), RoPE, the KV cache and a trace hook that names every intermediate the way llama.cpp does.
 *
 * <p>Entry point: {@link r1j.model.ModelLoader#load(java.nio.file.Path)}. May depend on {@code r1j.tensor} and
 * {@code r1j.gguf} only; never imports {@code jdk.incubator.vector} (kernels live in {@code r1j.tensor}).
 */
package r1j.model;
