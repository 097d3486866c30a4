package r1j.model;

/**
 * A loaded model that turns batches of tokens into next-token logits. Implementations are per architecture
 * ({@code llama}/{@code qwen2}/{@code qwen3} dense, {@code deepseek2} MLA + MoE); weights are views over the mapped GGUF file.
 *
 * <p>Not thread-safe: one caller (the engine's scheduler, or a CLI command) drives it; the forward pass itself
 * uses the compute pool for its matrix products.
 */
public interface LanguageModel extends AutoCloseable {

    /** The hyper-parameters; each architecture returns its own record (see {@link ArchitectureConfig}). */
    ArchitectureConfig config();

    /** A cache for {@code slots} sequences of up to {@code contextLength} tokens each, of the model's default type. */
    default KvCache newCache(int slots, int contextLength) {
        return newCache(slots, contextLength, KvCacheType.AUTO);
    }

    /**
     * A cache for {@code slots} sequences of up to {@code contextLength} tokens each, storing keys and values as
     * {@code type} ({@link KvCacheType#AUTO}: {@link #defaultCacheType()}).
     */
    KvCache newCache(int slots, int contextLength, KvCacheType type);

    /** The KV cache type AUTO stands for with this model. */
    KvCacheType defaultCacheType();

    /**
     * Runs the rows of {@code batch} through the model, appending their keys and values to {@code cache}, and writes
     * the logits of the rows that want them into {@code logits} ({@code [batch.logitRows()][vocab]}, row order).
     *
     * @throws IllegalArgumentException if a row's position does not continue its slot or exceeds the context
     */
    void forward(Batch batch, KvCache cache, float[] logits);

    /**
     * Sets (or with {@code null} removes) a listener for the named intermediates of later forward passes. Off by
     * default; a model without tracing support rejects it.
     *
     * @throws UnsupportedOperationException if this model cannot trace
     */
    default void setTrace(Trace trace) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not support tracing");
    }

    /** Releases the mapped file; the model must not be used afterwards. */
    @Override
    void close();
}
