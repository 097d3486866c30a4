package r1j.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static r1j.sample.CandidateFixtures.ids;
import static r1j.sample.CandidateFixtures.load;
import static r1j.sample.CandidateFixtures.logitsOf;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TopPTest {

    @Test
    void keepsTheMinimalSetReachingP() {
        // probabilities 0.5, 0.3, 0.15, 0.05 (shuffled ids)
        float[] logits = logitsOf(0.15, 0.5, 0.05, 0.3);

        Candidates c = load(logits);
        new TopP(0.4f).apply(c);
        assertThat(ids(c)).containsExactly(1);

        c = load(logits);
        new TopP(0.7f).apply(c);
        assertThat(ids(c)).containsExactly(1, 3);

        c = load(logits);
        new TopP(0.85f).apply(c);
        assertThat(ids(c)).containsExactly(1, 3, 0);

        c = load(logits);
        new TopP(0.99f).apply(c);
        assertThat(ids(c)).containsExactly(1, 3, 0, 2);
    }

    @Test
    void zero_keepsOnlyTheMostLikely() {
        Candidates c = load(logitsOf(0.2, 0.8));

        new TopP(0f).apply(c);

        assertThat(ids(c)).containsExactly(1);
    }

    @Test
    void afterTopK_measuresProbabilitiesOverTheRemainingCandidates() {
        // After top-2 of (0.4, 0.4, 0.2): renormalised 0.5, 0.5; p = 0.45 keeps one.
        Candidates c = load(logitsOf(0.4, 0.2, 0.4));
        new TopK(2).apply(c);

        new TopP(0.45f).apply(c);

        assertThat(ids(c)).containsExactly(0);
    }

    @Test
    void largeVocabularyWithLongTail_keepsHeadThenTailInIdOrder() {
        // 3 head tokens (0.4, 0.3, 0.2) and 49,997 tail tokens sharing 0.1 (2.0002e-6 each).
        int vocab = 50_000;
        double tail = 0.1 / (vocab - 3);
        double[] probs = new double[vocab];
        Arrays.fill(probs, tail);
        probs[10] = 0.4;
        probs[20] = 0.3;
        probs[30] = 0.2;
        float[] logits = logitsOf(probs);

        Candidates head = load(logits);
        new TopP(0.85f).apply(head);
        assertThat(ids(head)).containsExactly(10, 20, 30);

        // p = 0.92 needs the head (0.9) plus ceil(0.02 / tail) = 9,999.1 → 10,000 tail tokens.
        Candidates withTail = load(logits);
        new TopP(0.92f).apply(withTail);
        assertThat(withTail.size - 3).isBetween(9_998, 10_002);
        assertThat(Arrays.copyOfRange(withTail.ids, 0, 6)).containsExactly(10, 20, 30, 0, 1, 2);
    }

    @Test
    void prefilteredResult_equalsResultOfAFullSort() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        float[] logits = new float[20_000];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) (random.nextGaussian() * 3);
        }
        for (float p : new float[] {0.1f, 0.5f, 0.9f, 0.95f, 0.999f}) {
            Candidates fast = load(logits);
            new TopP(p).apply(fast);
            Candidates full = load(logits);
            full.sort();
            new TopP(p).apply(full);
            assertThat(ids(fast)).as("p=%s", p).containsExactly(ids(full));
        }
    }
}
