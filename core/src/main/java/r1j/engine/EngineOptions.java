package r1j.engine;

import java.util.Objects;
import r1j.model.KvCacheType;

/**
 * How an {@link Engine} sizes its KV cache and schedules work.
 *
 * @param parallel       sequence slots in the KV cache: how many choices generate at once (a request with
 *                       {@code n} choices takes {@code n} slots)
 * @param contextSize    tokens one slot holds (prompt plus completion); 0 means the model's trained context
 * @param batchTokens    most tokens one forward step processes (decode rows plus prefill chunks); at least
 *                       {@code parallel}, so every decoding sequence advances in every step
 * @param prefillChunk   most prompt tokens of one sequence per step, so a long prompt does not stall decoders
 * @param maxQueue       requests that may wait for a free slot before {@link Engine#submit} throws
 *                       {@link QueueFullException}
 * @param threads        compute threads for the forward pass (0: one per available core)
 * @param prefixCache    keep finished sequences' KV in their slots and reuse it for prompts sharing a prefix
 * @param kvCacheType    how the KV cache stores keys and values; {@link KvCacheType#AUTO}: F16, or F32 for a model
 *                       whose weights are all F32 (a model trained here, whose sampling must stay reproducible)
 */
public record EngineOptions(int parallel, int contextSize, int batchTokens, int prefillChunk, int maxQueue,
                            int threads, boolean prefixCache, KvCacheType kvCacheType) {

    /** Options with the model's default KV cache type ({@link KvCacheType#AUTO}). */
    public EngineOptions(int parallel, int contextSize, int batchTokens, int prefillChunk, int maxQueue,
                         int threads, boolean prefixCache) {
        this(parallel, contextSize, batchTokens, prefillChunk, maxQueue, threads, prefixCache, KvCacheType.AUTO);
    }

    public EngineOptions {
        Objects.requireNonNull(kvCacheType, "kvCacheType (use KvCacheType.AUTO for the model's default)");
        if (parallel < 1) {
            throw new IllegalArgumentException("parallel slots %d must be at least 1".formatted(parallel));
        }
        if (contextSize < 0) {
            throw new IllegalArgumentException("context size %d must be positive (or 0 for the model's)".formatted(contextSize));
        }
        if (batchTokens < parallel) {
            throw new IllegalArgumentException(
                    "batch token budget %d must be at least the %d parallel slots".formatted(batchTokens, parallel));
        }
        if (prefillChunk < 1) {
            throw new IllegalArgumentException("prefill chunk %d must be at least 1".formatted(prefillChunk));
        }
        if (maxQueue < 0) {
            throw new IllegalArgumentException("queue limit %d must not be negative".formatted(maxQueue));
        }
        if (threads < 0) {
            throw new IllegalArgumentException("threads %d must not be negative (0: one per core)".formatted(threads));
        }
    }

    /**
     * 4 slots of 4096 tokens, 512 tokens per step in chunks of 256, a queue of 64, one thread per core, prefix cache
     * on, the model's default KV cache type.
     */
    public static EngineOptions defaults() {
        return new EngineOptions(4, 4096, 512, 256, 64, 0, true, KvCacheType.AUTO);
    }

    public EngineOptions withKvCacheType(KvCacheType type) {
        return new EngineOptions(parallel, contextSize, batchTokens, prefillChunk, maxQueue, threads, prefixCache, type);
    }

    public EngineOptions withParallel(int parallel) {
        return new EngineOptions(parallel, contextSize, Math.max(batchTokens, parallel), prefillChunk, maxQueue, threads, prefixCache, kvCacheType);
    }

    public EngineOptions withContextSize(int contextSize) {
        return new EngineOptions(parallel, contextSize, batchTokens, prefillChunk, maxQueue, threads, prefixCache, kvCacheType);
    }

    public EngineOptions withBatchTokens(int batchTokens) {
        return new EngineOptions(parallel, contextSize, batchTokens, prefillChunk, maxQueue, threads, prefixCache, kvCacheType);
    }

    public EngineOptions withPrefillChunk(int prefillChunk) {
        return new EngineOptions(parallel, contextSize, batchTokens, prefillChunk, maxQueue, threads, prefixCache, kvCacheType);
    }

    public EngineOptions withMaxQueue(int maxQueue) {
        return new EngineOptions(parallel, contextSize, batchTokens, prefillChunk, maxQueue, threads, prefixCache, kvCacheType);
    }

    public EngineOptions withThreads(int threads) {
        return new EngineOptions(parallel, contextSize, batchTokens, prefillChunk, maxQueue, threads, prefixCache, kvCacheType);
    }

    public EngineOptions withPrefixCache(boolean prefixCache) {
        return new EngineOptions(parallel, contextSize, batchTokens, prefillChunk, maxQueue, threads, prefixCache, kvCacheType);
    }

    /** The context per slot for a model trained on {@code modelContext} tokens; rejects a larger request. */
    int resolveContext(int modelContext) {
        if (contextSize == 0) {
            return modelContext;
        }
        if (modelContext > 0 && contextSize > modelContext) {
            throw new IllegalArgumentException("context %d exceeds the model's %d; pass --ctx-size <= %d"
                    .formatted(contextSize, modelContext, modelContext));
        }
        return contextSize;
    }
}
