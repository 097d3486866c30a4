package r1j.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import r1j.sample.legacy.LegacySampler;

/**
 * The sampler picks exactly what it picked before its vector kernels ({@link LegacySampler}, the previous
 * implementation kept verbatim as the reference): same tokens and same log-probabilities for the same logits,
 * settings and seed, because the training recipe samples with it and must stay byte-reproducible. Seeded random
 * settings and logits of several shapes (flat, peaked, ties, masked tokens) over many steps.
 */
class SamplerEquivalenceTest {

    private static final int VOCAB = 5000;

    @Test
    void randomSettingsAndLogits_sameTokensAndLogprobsAsThePreviousSampler() {
        SplittableRandom r = new SplittableRandom(42);
        for (int trial = 0; trial < 60; trial++) {
            SamplerSettings s = randomSettings(r);
            Sampler fast = new Sampler(s, VOCAB, new SplittableRandom(trial));
            LegacySampler old = new LegacySampler(s, VOCAB, new SplittableRandom(trial));
            for (int step = 0; step < 40; step++) {
                float[] logits = randomLogits(r, VOCAB);
                int top = r.nextInt(4);
                if (r.nextBoolean()) {
                    SampledToken a = fast.sample(logits, 0, top), b = old.sample(logits, 0, top);
                    assertThat(a).as("trial %d step %d settings %s", trial, step, s).isEqualTo(b);
                    assertThat(Float.floatToRawIntBits(a.logprob())).isEqualTo(Float.floatToRawIntBits(b.logprob()));
                } else {
                    assertThat(fast.sample(logits, 0)).as("trial %d step %d settings %s", trial, step, s).isEqualTo(old.sample(logits, 0));
                }
                if (r.nextInt(8) == 0) {
                    int forced = r.nextInt(VOCAB);
                    fast.accept(forced);
                    old.accept(forced);
                }
            }
        }
    }

    @Test
    void r1DefaultsOnAFullQwenVocabulary_sameTokensAsThePreviousSampler() {
        int vocab = 151_936;
        SplittableRandom r = new SplittableRandom(7);
        SamplerSettings s = SamplerSettings.r1Defaults().withSeed(5);
        Sampler fast = Sampler.create(s, vocab);
        LegacySampler old = LegacySampler.create(s, vocab);
        for (int step = 0; step < 30; step++) {
            float[] logits = randomLogits(r, vocab);
            assertThat(fast.sample(logits, 0)).as("step %d", step).isEqualTo(old.sample(logits, 0));
        }
    }

    private static SamplerSettings randomSettings(SplittableRandom r) {
        float temperature = switch (r.nextInt(4)) {
            case 0 -> 0f;
            case 1 -> 1f;
            default -> (float) (0.1 + 1.9 * r.nextDouble());
        };
        int topK = r.nextInt(3) == 0 ? 1 + r.nextInt(200) : 0;
        float topP = r.nextInt(3) == 0 ? 1f : (float) r.nextDouble();
        float minP = r.nextInt(3) == 0 ? (float) (0.2 * r.nextDouble()) : 0f;
        boolean penalties = r.nextInt(3) == 0;
        return new SamplerSettings(temperature, topK, topP, minP, penalties ? 1.3f : 1f, penalties ? 0.4f : 0f,
                penalties ? 0.2f : 0f, penalties ? 32 : 64, r.nextLong());
    }

    /** Logits of one of several shapes a model produces. */
    private static float[] randomLogits(SplittableRandom r, int n) {
        float[] x = new float[n];
        int shape = r.nextInt(5);
        double sigma = shape == 0 ? 0.5 : shape == 1 ? 3 : 8;
        for (int i = 0; i < n; i++) x[i] = (float) (sigma * r.nextGaussian());
        if (shape == 3) {
            for (int i = 0; i < n; i++) x[i] = Math.round(x[i]); // many exact ties
        }
        if (shape == 4) {
            for (int i = 0; i < n; i += 7) x[i] = Float.NEGATIVE_INFINITY; // masked tokens
            x[r.nextInt(n)] = 30f; // one dominant token
        }
        return x;
    }
}
