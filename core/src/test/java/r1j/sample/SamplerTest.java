package r1j.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static r1j.sample.CandidateFixtures.logitsOf;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SamplerTest {

    private static final SamplerSettings PLAIN = new SamplerSettings(1f, 0, 1f, 0f, 1f, 0f, 0f, 64, 42L);

    private static int[] draw(Sampler sampler, float[] logits, int n) {
        int[] tokens = new int[n];
        for (int i = 0; i < n; i++) {
            tokens[i] = sampler.sample(logits, 0);
        }
        return tokens;
    }

    private static double[] frequencies(SamplerSettings settings, float[] logits, int n) {
        Sampler sampler = Sampler.create(settings, logits.length);
        double[] freq = new double[logits.length];
        for (int t : draw(sampler, logits, n)) {
            freq[t] += 1.0 / n;
        }
        return freq;
    }

    /** Asserts each frequency within 5 standard errors of its probability (fails by chance about once in 10^6). */
    private static void assertMatches(double[] freq, double[] probs, int n) {
        for (int i = 0; i < probs.length; i++) {
            double sigma = Math.sqrt(probs[i] * (1 - probs[i]) / n);
            assertThat(freq[i]).as("token %d", i).isCloseTo(probs[i], within(5 * sigma + 1e-12));
        }
    }

    @Test
    void greedy_takesArgmax_lowestIdOnTies() {
        Sampler sampler = Sampler.create(SamplerSettings.greedy(), 5);

        assertThat(sampler.sample(new float[] {1f, 7f, 3f, 7f, -2f}, 0)).isEqualTo(1);
        assertThat(sampler.sample(new float[] {0f, 0f, 0f, 0f, 0f}, 0)).isEqualTo(0);
    }

    @Test
    void sample_readsTheRowAtOffset_andLeavesTheCallersLogitsUnchanged() {
        float[] twoRows = {9f, 0f, 0f, /* row 2: */ 0f, 0f, 5f};
        float[] copy = twoRows.clone();
        Sampler sampler = Sampler.create(SamplerSettings.greedy().withPenalties(2f, 1f, 1f, 64), 3);

        assertThat(sampler.sample(twoRows, 3)).isEqualTo(2);
        assertThat(sampler.sample(twoRows, 3)).isEqualTo(2); // 5/2 - 2 = 0.5 still beats 0
        assertThat(twoRows).containsExactly(copy);
    }

    @Test
    void sample_rowOutsideTheArray_isRejected() {
        Sampler sampler = Sampler.create(SamplerSettings.greedy(), 4);

        assertThatThrownBy(() -> sampler.sample(new float[6], 3)).hasMessageContaining("does not fit");
    }

    @Test
    void sameSeed_sameTokens_differentSeed_differentTokens() {
        float[] logits = new float[1000];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) Math.sin(i) * 2;
        }
        SamplerSettings s = SamplerSettings.r1Defaults().withSeed(1234);

        int[] a = draw(Sampler.create(s, 1000), logits, 300);
        int[] b = draw(Sampler.create(s, 1000), logits, 300);
        int[] c = draw(Sampler.create(s.withSeed(1235), 1000), logits, 300);

        assertThat(a).containsExactly(b);
        assertThat(Arrays.equals(a, c)).isFalse();
    }

    @Test
    void temperatureOne_drawsTheModelDistribution() {
        double[] probs = {0.5, 0.3, 0.15, 0.05};
        int n = 40_000;

        assertMatches(frequencies(PLAIN, logitsOf(probs), n), probs, n);
    }

    @Test
    void temperatureHalf_drawsTheSquaredDistribution() {
        double[] probs = {0.5, 0.3, 0.15, 0.05};
        double z = 0.25 + 0.09 + 0.0225 + 0.0025;
        double[] expected = {0.25 / z, 0.09 / z, 0.0225 / z, 0.0025 / z};
        int n = 40_000;

        assertMatches(frequencies(PLAIN.withTemperature(0.5f), logitsOf(probs), n), expected, n);
    }

    @Test
    void topK_thenTemperature_drawsTheRenormalisedHead() {
        double[] probs = {0.5, 0.3, 0.15, 0.05};
        int n = 40_000;

        assertMatches(frequencies(PLAIN.withTopK(2), logitsOf(probs), n), new double[] {0.625, 0.375, 0, 0}, n);
    }

    @Test
    void filtersSeeTheUntemperedDistribution_likeLlamaCpp() {
        // top_p 0.7 over (0.5, 0.3, 0.15, 0.05) keeps two tokens; temperature 2 applied afterwards flattens those
        // two to sqrt(p) ratios but cannot bring back the third (with temperature first, top_p would keep three).
        double[] probs = {0.5, 0.3, 0.15, 0.05};
        int n = 20_000;
        double[] freq = frequencies(PLAIN.withTopP(0.7f).withTemperature(2f), logitsOf(probs), n);
        double a = Math.sqrt(0.5);
        double b = Math.sqrt(0.3);

        assertMatches(freq, new double[] {a / (a + b), b / (a + b), 0, 0}, n);
    }

    @Test
    void minP_dropsUnlikelyTokensFromTheDraw() {
        double[] probs = {0.5, 0.3, 0.15, 0.05};
        int n = 20_000;

        assertMatches(frequencies(PLAIN.withMinP(0.2f), logitsOf(probs), n), new double[] {0.5 / 0.95, 0.3 / 0.95, 0.15 / 0.95, 0}, n);
    }

    @Test
    void repetitionPenalty_usesRecordedPromptAndSampledTokens() {
        Sampler sampler = Sampler.create(SamplerSettings.greedy().withPenalties(1.1f, 0f, 0f, 64), 3);
        float[] logits = {2.0f, 1.9f, 1.0f};

        assertThat(sampler.sample(logits, 0)).isEqualTo(0);
        assertThat(sampler.sample(logits, 0)).as("2.0/1.1 < 1.9").isEqualTo(1);

        Sampler prompted = Sampler.create(SamplerSettings.greedy().withPenalties(1.1f, 0f, 0f, 64), 3);
        prompted.acceptAll(new int[] {0});
        assertThat(prompted.sample(logits, 0)).isEqualTo(1);
        prompted.resetHistory();
        assertThat(prompted.sample(logits, 0)).isEqualTo(0);
    }

    @Test
    void logprobs_areOfTheRawDistribution_withTopAlternativesMostLikelyFirst() {
        float[] logits = logitsOf(0.1, 0.6, 0.3);
        Sampler sampler = Sampler.create(SamplerSettings.greedy(), 3);

        SampledToken t = sampler.sample(logits, 0, 2);

        assertThat(t.token()).isEqualTo(1);
        assertThat(t.logprob()).isCloseTo((float) Math.log(0.6), within(1e-6f));
        assertThat(t.top()).hasSize(2);
        assertThat(t.top().get(0).token()).isEqualTo(1);
        assertThat(t.top().get(1).token()).isEqualTo(2);
        assertThat(t.top().get(1).logprob()).isCloseTo((float) Math.log(0.3), within(1e-6f));
        assertThat(sampler.sample(logits, 0, 0).top()).isEmpty();
        assertThat(sampler.sample(logits, 0, 10).top()).hasSize(3);
    }

    @Test
    void r1Defaults_onALargeVocabulary_keepOnlyTheNucleus() {
        // 4 likely tokens hold 0.96; top_p 0.95 must never draw from the 100k-token tail.
        int vocab = 100_004;
        double[] probs = new double[vocab];
        Arrays.fill(probs, 0.04 / 100_000);
        probs[100] = 0.5;
        probs[200] = 0.3;
        probs[300] = 0.1;
        probs[400] = 0.06;
        float[] logits = logitsOf(probs);
        Sampler sampler = Sampler.create(SamplerSettings.r1Defaults().withSeed(9), vocab);

        for (int i = 0; i < 200; i++) {
            assertThat(sampler.sample(logits, 0)).isIn(100, 200, 300, 400);
        }
    }

    @Test
    void sampling_allocatesNothingPerToken() {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        float[] logits = new float[20_000];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) (random.nextGaussian() * 3);
        }
        SamplerSettings settings = SamplerSettings.r1Defaults().withSeed(3).withMinP(0.01f).withPenalties(1.1f, 0.1f, 0.1f, 64);
        Sampler sampler = Sampler.create(settings, logits.length);
        draw(sampler, logits, 20); // warm-up: class loading allocates

        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100; i++) {
            sampler.sample(logits, 0);
        }
        long perToken = (threads.getCurrentThreadAllocatedBytes() - before) / 100;

        assertThat(perToken).as("bytes allocated per sampled token").isLessThan(64);
    }
}
