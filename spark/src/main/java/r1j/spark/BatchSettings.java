package r1j.spark;

import java.io.Serializable;
import java.util.List;
import r1j.engine.EngineOptions;
import r1j.engine.GenerationRequest;
import r1j.engine.Prompt;
import r1j.sample.SamplerSettings;

/**
 * What every executor needs to generate: the model file (each executor maps it once) or the serving fleet it is a
 * client of, the sampling of the run, and how to grade. Shipped to the executors with the task closure, hence
 * {@link Serializable}.
 *
 * @param model          GGUF path as every executor sees it (a local file, or a shared volume on a cluster), or
 *                       null with {@code endpoints}
 * @param endpoints      OpenAI-compatible servers to send the prompts to instead (a pool when several)
 * @param apiKey         bearer token for the endpoints, or null
 * @param modelName      the {@code model} field sent to the endpoints
 * @param grader         how to check rows that carry an {@code answer} column ({@code math}, {@code number},
 *                       {@code choice}, {@code exact}), or null to leave {@code correct} empty
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
public record BatchSettings(String model, List<String> endpoints, String apiKey, String modelName, int parallel,
                            int contextSize, int threads, float temperature, float topP, long seed, int maxTokens,
                            int thinkingBudget, String grader) implements Serializable {

    /** Completion tokens asked of an endpoint when the run sets no limit: the R1 paper's budget. */
    static final int ENDPOINT_MAX_TOKENS = 32768;

    public BatchSettings {
        endpoints = List.copyOf(endpoints);
        boolean local = model != null && !model.isBlank();
        if (local == !endpoints.isEmpty()) {
            throw new IllegalArgumentException("batch generation needs a model file (-m FILE) or --endpoint URL, not both");
        }
        if (!endpoints.isEmpty() && (modelName == null || modelName.isBlank())) {
            throw new IllegalArgumentException("--endpoint needs --model-name NAME (the model field of each request)");
        }
        if (grader != null) r1j.eval.Graders.named(grader); // an unknown name fails here, with the list of names
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

    /** Whether prompts go to endpoints rather than an executor's own engine. */
    boolean remote() {
        return !endpoints.isEmpty();
    }

    /** The seed of one row: it depends on the row's id only, so reruns and retries agree. */
    long rowSeed(String id) {
        return seed == SamplerSettings.RANDOM_SEED ? seed : (seed + (id.hashCode() & 0x7fffffffL));
    }

    /** The engine request for one row. */
    GenerationRequest request(Prompt prompt, String id) {
        SamplerSettings s = new SamplerSettings(temperature, 0, topP, 0f, 1f, 0f, 0f, 64, rowSeed(id));
        return GenerationRequest.of(prompt).withSampling(s).withMaxTokens(maxTokens).withThinkingBudget(thinkingBudget);
    }
}
