package r1j.cli.bench;

import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import r1j.model.Batch;
import r1j.model.KvCache;
import r1j.model.KvCacheType;
import r1j.model.LanguageModel;

/**
 * llama-bench's two tests on a loaded model, with seeded random token ids (speed does not depend on which tokens):
 * <ul>
 *   <li>prompt processing {@code ppP}: one forward step over P tokens of one sequence, logits of the last only;</li>
 *   <li>text generation {@code tgN}: N single-token steps from an empty context, as decoding does;</li>
 *   <li>batched generation {@code tgN xB}: N steps that each carry one token of B sequences (continuous
 *       batching's decode phase), reported as aggregate tokens/s.</li>
 * </ul>
 * With a depth {@code d > 0} (llama-bench's {@code -d}) every sequence first holds {@code d} tokens in the cache,
 * filled untimed in prompt chunks of {@value #DEPTH_CHUNK}, and each test runs after them ({@code tg128 @ d4096}):
 * attention is the only cost that grows with the context, so this shows how decoding holds up in a long answer.
 * Each test first runs untimed (JIT compilation, page-in of the mapped weights; generation for at most
 * {@value #WARMUP_STEPS} steps), then {@code repetitions} timed runs, each on an emptied cache. Buffers are allocated before the clock starts.
 */
public final class SpeedTest {

    /**
     * Decode steps of the untimed generation run: enough calls for the JIT to compile the single-row kernels
     * (each step runs seven matrix products per layer), without doubling the length of a long test.
     */
    static final int WARMUP_STEPS = 16;
    /** Tokens per forward step while filling the cache to the depth (as a prompt is processed in chunks). */
    static final int DEPTH_CHUNK = 512;

    private final LanguageModel model;
    private final SplittableRandom random;
    private final LongSupplier nanoTime;
    private final KvCacheType cacheType;
    private final int depth;

    /**
     * @param model     the model to measure (not closed here)
     * @param seed      seed of the random token ids
     * @param nanoTime  the clock, in nanoseconds ({@code System::nanoTime})
     * @param cacheType the KV cache type of every test
     * @param depth     tokens already in each sequence's cache before a test (0: an empty cache)
     */
    public SpeedTest(LanguageModel model, long seed, LongSupplier nanoTime, KvCacheType cacheType, int depth) {
        if (depth < 0) throw new IllegalArgumentException("depth must not be negative, got " + depth);
        this.model = model;
        this.random = new SplittableRandom(seed);
        this.nanoTime = nanoTime;
        this.cacheType = cacheType;
        this.depth = depth;
    }

    /** A speed test of {@code model} with the model's default cache and an empty context. */
    public SpeedTest(LanguageModel model, long seed, LongSupplier nanoTime) {
        this(model, seed, nanoTime, KvCacheType.AUTO, 0);
    }

    /** {@code ppP}: one step over {@code tokens} prompt tokens. */
    public Measurement promptProcessing(int tokens, int repetitions) {
        requirePositive("prompt tokens", tokens);
        requirePositive("repetitions", repetitions);
        KvCache cache = model.newCache(1, depth + tokens, cacheType);
        float[] logits = new float[model.config().vocab()];
        fillToDepth(cache, 1, logits);
        double[] seconds = new double[repetitions];
        for (int r = -1; r < repetitions; r++) {
            Batch batch = Batch.ofSequence(randomTokens(tokens), depth, false);
            cache.truncate(0, depth);
            long t0 = nanoTime.getAsLong();
            model.forward(batch, cache, logits);
            if (r >= 0) seconds[r] = (nanoTime.getAsLong() - t0) / 1e9;
        }
        return new Measurement("pp" + tokens + depthSuffix(), tokens, 1, seconds);
    }

    /** {@code tgN} (sequences 1) or {@code tgN xB}: {@code steps} decode steps of {@code sequences} sequences each. */
    public Measurement generation(int steps, int sequences, int repetitions) {
        requirePositive("generated tokens", steps);
        requirePositive("sequences", sequences);
        requirePositive("repetitions", repetitions);
        KvCache cache = model.newCache(sequences, depth + steps, cacheType);
        float[] logits = new float[sequences * model.config().vocab()];
        fillToDepth(cache, sequences, logits);
        Batch[] batches = new Batch[steps];
        double[] seconds = new double[repetitions];
        for (int r = -1; r < repetitions; r++) {
            int n = r < 0 ? Math.min(steps, WARMUP_STEPS) : steps;
            for (int i = 0; i < n; i++) batches[i] = decodeStep(depth + i, sequences);
            for (int s = 0; s < sequences; s++) cache.truncate(s, depth);
            long t0 = nanoTime.getAsLong();
            for (int i = 0; i < n; i++) model.forward(batches[i], cache, logits);
            if (r >= 0) seconds[r] = (nanoTime.getAsLong() - t0) / 1e9;
        }
        String name = "tg" + steps + (sequences > 1 ? " x" + sequences : "") + depthSuffix();
        return new Measurement(name, steps * sequences, steps, seconds);
    }

    /** llama-bench's name for a test at depth: {@code " @ d4096"}; nothing at depth 0. */
    private String depthSuffix() {
        return depth > 0 ? " @ d" + depth : "";
    }

    /** Puts {@code depth} random tokens into each of the first {@code sequences} slots (untimed). */
    private void fillToDepth(KvCache cache, int sequences, float[] logits) {
        for (int s = 0; s < sequences; s++) {
            cache.truncate(s, 0);
            for (int from = 0; from < depth; from += DEPTH_CHUNK) {
                int n = Math.min(DEPTH_CHUNK, depth - from);
                int[] slots = new int[n], positions = new int[n];
                for (int i = 0; i < n; i++) {
                    slots[i] = s;
                    positions[i] = from + i;
                }
                model.forward(new Batch(randomTokens(n), positions, slots, new boolean[n]), cache, logits);
            }
        }
    }

    /** One row per sequence, all at {@code position}, every row wanting logits (as a sampler would). */
    private Batch decodeStep(int position, int sequences) {
        int[] positions = new int[sequences], slots = new int[sequences];
        boolean[] want = new boolean[sequences];
        for (int s = 0; s < sequences; s++) {
            positions[s] = position;
            slots[s] = s;
            want[s] = true;
        }
        return new Batch(randomTokens(sequences), positions, slots, want);
    }

    private int[] randomTokens(int n) {
        return random.ints(n, 0, model.config().vocab()).toArray();
    }

    private static void requirePositive(String what, int n) {
        if (n <= 0) throw new IllegalArgumentException(what + " must be positive, got " + n);
    }
}
