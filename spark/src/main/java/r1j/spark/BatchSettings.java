package r1j.spark;

import java.io.Serializable;
import r1j.engine.EngineOptions;
import r1j.engine.GenerationRequest;
import r1j.engine.Prompt;
import r1j.sample.SamplerSettings;

/**
 * What every executor needs to generate: the model file (each executor maps it once) and the sampling of the run.
 * Shipped to the executors with the task closure, hence {@link Serializable}.
 *
 * @param model          GGUF path as every executor sees it (a local file, or a shared volume on a cluster)
 * @param parallel       sequences an executor's engine advances together (its KV-cache slots)
 * @param contextSize    tokens per slot (0: the model's)
 * @param threads        compute threads per executor engine (0: one per core)
 * @param temperature    sampling temperature (0 = greedy)
 * @param topP           nucleus sampling threshold
 * @param seed           base seed; row {@code i} of the input samples with {@code seed + hash(id)} so a rerun
 *                       reproduces it, or {@link SamplerSettings#RANDOM_SEED}
 * @param maxTokens      most tokens per answer (thought included), −1 for the context
 * @param thinkingBudget most reasoning tokens, −1 unlimited
 */
public record BatchSettings(String model, int parallel, int contextSize, int threads, float temperature, float topP,
                            long seed, int maxTokens, int thinkingBudget) implements Serializable {

    public BatchSettings {
        if (model == null || model.isBlank()) throw new IllegalArgumentException("batch generation needs a model file (-m FILE)");
        if (parallel < 1) throw new IllegalArgumentException("--parallel %d must be at least 1".formatted(parallel));
        if (maxTokens == 0 || maxTokens < -1) throw new IllegalArgumentException("--max-tokens %d must be positive or -1".formatted(maxTokens));
        new SamplerSettings(temperature, 0, topP, 0f, 1f, 0f, 0f, 64, seed); // validates the ranges with the engine's messages
    }

    EngineOptions engineOptions() {
        EngineOptions d = EngineOptions.defaults();
        // Every task of this JVM submits into one engine; the in-flight bound lives in GeneratePartition, so the
        // engine's own queue must never refuse.
        return d.withParallel(parallel).withBatchTokens(Math.max(d.batchTokens(), parallel)).withThreads(threads)
                .withContextSize(contextSize).withMaxQueue(1 << 20);
    }

    /** The engine request for one row; its seed depends on the row's id only, so reruns and retries agree. */
    GenerationRequest request(Prompt prompt, String id) {
        long rowSeed = seed == SamplerSettings.RANDOM_SEED ? seed : (seed + (id.hashCode() & 0x7fffffffL));
        SamplerSettings s = new SamplerSettings(temperature, 0, topP, 0f, 1f, 0f, 0f, 64, rowSeed);
        return GenerationRequest.of(prompt).withSampling(s).withMaxTokens(maxTokens).withThinkingBudget(thinkingBudget);
    }
}
