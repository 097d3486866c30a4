package r1j.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static r1j.sample.CandidateFixtures.ids;
import static r1j.sample.CandidateFixtures.load;
import static r1j.sample.CandidateFixtures.logitsOf;

import org.junit.jupiter.api.Test;

class MinPTest {

    @Test
    void keepsTokensAtLeastMinPTimesTheMostLikely() {
        float[] logits = logitsOf(0.05, 0.5, 0.2, 0.25);

        Candidates c = load(logits);
        new MinP(0.3f).apply(c); // threshold 0.15
        assertThat(ids(c)).containsExactly(1, 2, 3);

        c = load(logits);
        new MinP(0.45f).apply(c); // threshold 0.225
        assertThat(ids(c)).containsExactly(1, 3);
    }

    @Test
    void isRelativeToTheMax_notAbsolute() {
        // A flat distribution over 100 tokens: every p = 0.01 < min_p 0.5, yet all are as likely as the max.
        float[] logits = new float[100];
        Candidates c = load(logits);

        new MinP(0.5f).apply(c);

        assertThat(c.size).isEqualTo(100);
    }
}
