package r1j.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static r1j.sample.CandidateFixtures.load;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PenaltiesTest {

    @Test
    void repetitionDividesPositiveMultipliesNegative_thenFrequencyPerCountAndPresenceOnce() {
        TokenHistory history = new TokenHistory(64);
        for (int t : new int[] {0, 1, 0, 4}) {
            history.add(t);
        }
        Candidates c = load(2f, -2f, 1f, 0.5f, 0f);

        new Penalties(2f, 0.5f, 0.25f, history, 5).apply(c);

        // token 0 (twice): 2/2 - 2*0.25 - 0.5; token 1 (once): -2*2 - 0.25 - 0.5; token 4 (once, logit 0): 0*2 - 0.75
        assertThat(Arrays.copyOf(c.logits, 5)).containsExactly(0f, -4.75f, 1f, 0.5f, -0.75f);
    }

    @Test
    void onlyTheLastNTokensCount() {
        TokenHistory history = new TokenHistory(2);
        for (int t : new int[] {0, 0, 1}) {
            history.add(t);
        }
        Candidates c = load(1f, 1f, 1f);

        new Penalties(1f, 0f, 1f, history, 3).apply(c);

        assertThat(Arrays.copyOf(c.logits, 3)).containsExactly(0f, 0f, 1f);
    }

    @Test
    void wholeSequenceWindow_countsEverything_andStateResetsBetweenCalls() {
        TokenHistory history = new TokenHistory(-1);
        for (int i = 0; i < 1000; i++) {
            history.add(2);
        }
        Penalties p = new Penalties(1f, 0f, 0.001f, history, 3);
        Candidates c = load(0f, 0f, 5f);
        p.apply(c);
        assertThat(c.logits[2]).isCloseTo(4f, within(1e-4f));

        c.load(new float[] {0f, 0f, 5f}, 0, 3);
        p.apply(c);
        assertThat(c.logits[2]).as("counts do not accumulate across calls").isCloseTo(4f, within(1e-4f));
    }
}
