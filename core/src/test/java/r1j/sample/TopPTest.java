package r1j.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static r1j.sample.CandidateFixtures.ids;
import static r1j.sample.CandidateFixtures.load;
import static r1j.sample.CandidateFixtures.logitsOf;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TopPTest {

    private static void topP(float p, Candidates c) {
        new TopP(p, c.capacity()).apply(c);
    }

    @Test
    void keepsTheMinimalSetReachingP() {
        // probabilities 0.5, 0.3, 0.15, 0.05 (shuffled ids)
        float[] logits = logitsOf(0.15, 0.5, 0.05, 0.3);

        Candidates c = load(logits);
        topP(0.4f, c);
        assertThat(ids(c)).containsExactly(1);

        c = load(logits);
        topP(0.7f, c);
        assertThat(ids(c)).containsExactlyInAnyOrder(1, 3);

        c = load(logits);
        topP(0.85f, c);
        assertThat(ids(c)).containsExactlyInAnyOrder(1, 3, 0);

        c = load(logits);
        topP(0.99f, c);
        assertThat(ids(c)).containsExactlyInAnyOrder(1, 3, 0, 2);
    }

    @Test
    void zero_keepsOnlyTheMostLikely() {
        Candidates c = load(logitsOf(0.2, 0.8));

        topP(0f, c);

        assertThat(ids(c)).containsExactly(1);
    }

    @Test
    void afterTopK_measuresProbabilitiesOverTheRemainingCandidates() {
        // After top-2 of (0.4, 0.4, 0.2): renormalised 0.5, 0.5; p = 0.45 keeps one.
        Candidates c = load(logitsOf(0.4, 0.2, 0.4));
        new TopK(2).apply(c);

        topP(0.45f, c);

        assertThat(ids(c)).containsExactly(0);
    }

    @Test
    void largeVocabularyWithLongTail_keepsHeadThenEqualTailTokensLowestIdFirst() {
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
        topP(0.85f, head);
        assertThat(ids(head)).containsExactlyInAnyOrder(10, 20, 30);

        // p = 0.92 needs the head (0.9) plus ceil(0.02 / tail) = 9,999.1 → 10,000 tail tokens.
        Candidates withTail = load(logits);
        topP(0.92f, withTail);
        assertThat(withTail.size - 3).isBetween(9_998, 10_002);
        assertThat(ids(withTail)).contains(10, 20, 30, 0, 1, 2);
        assertThat(Arrays.stream(ids(withTail)).max().orElseThrow()).as("tail ties are taken lowest id first").isLessThan(10_010);
    }

    @Test
    void bucketedResult_equalsTheSortedPrefix() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        float[] logits = new float[5_000];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) (random.nextGaussian() * 3);
        }
        logits[123] = logits[456]; // an exact tie, possibly at the boundary
        for (float p : new float[] {0f, 0.1f, 0.5f, 0.9f, 0.95f, 0.999f}) {
            Candidates fast = load(logits);
            topP(p, fast);
            Candidates full = load(logits);
            full.sort();
            topP(p, full);
            assertThat(ids(fast)).as("p=%s", p).containsExactlyInAnyOrder(ids(full));
        }
    }
}
