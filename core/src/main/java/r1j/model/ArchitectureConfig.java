package r1j.model;

/**
 * What every architecture's hyper-parameters have in common, for code that runs any model (the engine, the CLI):
 * the vocabulary, the trained context and the overall size. Each architecture adds its own record with the widths
 * its blocks need ({@link ModelConfig} for dense llama-family models, {@link DeepSeek2Config} for MLA + MoE).
 */
public interface ArchitectureConfig {

    /** {@code general.architecture}: {@code llama}, {@code qwen2}, {@code qwen3}, {@code deepseek2}, ... */
    String architecture();

    /** Model width ({@code embedding_length}). */
    int dim();

    /** Transformer blocks ({@code block_count}). */
    int layers();

    /** Vocabulary size (rows of {@code token_embd.weight}, and logits per row). */
    int vocab();

    /** Trained context ({@code context_length}). */
    int contextLength();
}
