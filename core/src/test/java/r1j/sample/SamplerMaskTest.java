package r1j.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The token mask of constrained decoding runs before every other step: a masked token is never picked. */
class SamplerMaskTest {

    @Test
    void sample_neverPicksAMaskedToken_greedyOrRandom() {
        int vocab = 130; // spans three mask words, the last one partial
        float[] logits = new float[vocab];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < vocab; i++) {
            logits[i] = (float) r.nextGaussian() * 3;
        }
        long[] allowed = new long[3];
        int[] ok = {5, 64, 129};
        for (int id : ok) {
            allowed[id >>> 6] |= 1L << id;
        }
        Sampler greedy = Sampler.create(SamplerSettings.greedy(), vocab);
        int g = greedy.sample(logits, 0, allowed);
        int best = 5;
        for (int id : ok) {
            if (logits[id] > logits[best]) {
                best = id;
            }
        }
        assertThat(g).isEqualTo(best);
        Sampler random = Sampler.create(SamplerSettings.r1Defaults().withSeed(11), vocab);
        for (int i = 0; i < 500; i++) {
            assertThat(random.sample(logits, 0, allowed)).isIn(5, 64, 129);
        }
    }
}
