package r1j.sample.legacy;

import r1j.sample.SamplerSettings;
import r1j.sample.SampledToken;
import r1j.sample.TokenLogprob;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * Picks the next token of one sequence from the model's logits.
 *
 * <p>The chain follows llama.cpp's default order (common/common.h): penalties → top-k → top-p → min-p →
 * temperature → pick; steps switched off in the settings are left out. LegacyTemperature 0 picks the argmax of the
 * penalised logits (lowest id on ties), which the filters would all keep anyway.
 *
 * <p>One sampler per sequence: it holds the sequence's recent tokens (for the penalties) and its random generator.
 * {@link #sample(float[], int)} records the token it returns; record prompt tokens and tokens the engine forces (for
 * example a closing {@code </think>}) with {@link #accept(int)}. Buffers are sized once for the vocabulary; sampling
 * allocates nothing unless log-probabilities are asked for. Not thread-safe.
 */
public final class LegacySampler {

    /** Random generator algorithm for seeded sampling: fast, and statistically strong for this use. */
    private static final String ALGORITHM = "L64X128MixRandom";

    private final SamplerSettings settings;
    private final int vocab;
    private final LegacyTokenHistory history;
    private final LegacyCandidates candidates;
    private final LegacySamplerStep[] steps;
    private final LegacyRandomPick pick;

    /**
     * A sampler drawing from the given generator.
     *
     * @param settings validated settings
     * @param vocab    number of logits per token (the model's vocabulary size)
     * @param random   the source of randomness (ignored when greedy)
     */
    public LegacySampler(SamplerSettings settings, int vocab, RandomGenerator random) {
        this.settings = Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(random, "random");
        this.vocab = vocab;
        this.candidates = new LegacyCandidates(vocab);
        this.history = new LegacyTokenHistory(settings.penaltyLastN());
        this.steps = buildChain(settings, history, vocab);
        this.pick = new LegacyRandomPick(random);
    }

    /**
     * A sampler seeded from {@link SamplerSettings#seed()}: the same seed, settings and logits give the same tokens.
     * {@link SamplerSettings#RANDOM_SEED} seeds it from system entropy instead.
     */
    public static LegacySampler create(SamplerSettings settings, int vocab) {
        RandomGeneratorFactory<RandomGenerator> factory = RandomGeneratorFactory.of(ALGORITHM);
        RandomGenerator random = settings.seed() == SamplerSettings.RANDOM_SEED
                ? factory.create()
                : factory.create(settings.seed());
        return new LegacySampler(settings, vocab, random);
    }

    /** The settings this sampler was built with. */
    public SamplerSettings settings() {
        return settings;
    }

    /** The number of logits per token this sampler expects. */
    public int vocab() {
        return vocab;
    }

    /** Records a token the sampler did not choose (a prompt token, a forced token) for the penalties. */
    public void accept(int token) {
        history.add(token);
    }

    /** Records tokens the sampler did not choose, in order. */
    public void acceptAll(int[] tokens) {
        for (int t : tokens) {
            history.add(t);
        }
    }

    /** Forgets the recorded tokens (the random generator keeps its state). */
    public void resetHistory() {
        history.clear();
    }

    /**
     * Samples the next token and records it.
     *
     * @param logits the model's logits; this sequence's are {@code logits[offset, offset + vocab)}, left unchanged
     * @param offset start of this sequence's row
     * @return the chosen token id
     */
    public int sample(float[] logits, int offset) {
        checkBounds(logits, offset);
        candidates.load(logits, offset, vocab);
        for (LegacySamplerStep step : steps) {
            step.apply(candidates);
        }
        int index = settings.isGreedy() ? candidates.argmax() : pick.pick(candidates);
        int token = candidates.ids[index];
        history.add(token);
        return token;
    }

    /**
     * Samples the next token, records it, and reports log-probabilities.
     *
     * @param topLogprobs how many most likely alternatives to report, 0 for none
     * @see #sample(float[], int)
     */
    public SampledToken sample(float[] logits, int offset, int topLogprobs) {
        if (topLogprobs < 0) {
            throw new IllegalArgumentException("top_logprobs " + topLogprobs + " must be 0 or positive");
        }
        int token = sample(logits, offset);
        float logZ = logSumExp(logits, offset, vocab);
        float logprob = logits[offset + token] - logZ;
        return new SampledToken(token, logprob, topLogprobs(logits, offset, Math.min(topLogprobs, vocab), logZ));
    }

    private List<TokenLogprob> topLogprobs(float[] logits, int offset, int n, float logZ) {
        if (n == 0) {
            return List.of();
        }
        long[] keys = new long[vocab];
        for (int i = 0; i < vocab; i++) {
            keys[i] = LegacyLogitOrder.key(logits[offset + i], i);
        }
        LegacyLogitOrder.selectSmallest(keys, vocab, n);
        List<TokenLogprob> top = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int id = LegacyLogitOrder.id(keys[i]);
            top.add(new TokenLogprob(id, logits[offset + id] - logZ));
        }
        return top;
    }

    static float logSumExp(float[] logits, int offset, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, logits[offset + i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.exp(logits[offset + i] - max);
        }
        return (float) (max + Math.log(sum));
    }

    private void checkBounds(float[] logits, int offset) {
        if (offset < 0 || offset > logits.length - vocab) {
            throw new IllegalArgumentException("logits row at offset " + offset + " of " + vocab
                    + " tokens does not fit in an array of " + logits.length);
        }
    }

    private static LegacySamplerStep[] buildChain(SamplerSettings s, LegacyTokenHistory history, int vocab) {
        List<LegacySamplerStep> chain = new ArrayList<>();
        if (s.hasPenalties()) {
            chain.add(new LegacyPenalties(s.repetitionPenalty(), s.presencePenalty(), s.frequencyPenalty(), history, vocab));
        }
        if (!s.isGreedy()) {
            // Greedy takes the argmax, which every filter keeps and temperature does not move.
            if (s.topK() > 0) {
                chain.add(new LegacyTopK(s.topK()));
            }
            if (s.topP() < 1f) {
                chain.add(new LegacyTopP(s.topP(), vocab));
            }
            if (s.minP() > 0f) {
                chain.add(new LegacyMinP(s.minP()));
            }
            if (s.temperature() != 1f) {
                chain.add(new LegacyTemperature(s.temperature()));
            }
        }
        return chain.toArray(LegacySamplerStep[]::new);
    }
}
