package r1j.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static r1j.sample.CandidateFixtures.ids;
import static r1j.sample.CandidateFixtures.load;

import org.junit.jupiter.api.Test;

class TopKTest {

    @Test
    void keepsTheKLargest_sorted_lowestIdFirstOnTies() {
        Candidates c = load(1f, 3f, 2f, 3f, 0f);

        new TopK(2).apply(c);
        assertThat(ids(c)).containsExactly(1, 3);
        assertThat(c.sorted()).isTrue();

        Candidates d = load(1f, 3f, 2f, 3f, 0f);
        new TopK(3).apply(d);
        assertThat(ids(d)).containsExactly(1, 3, 2);
    }

    @Test
    void kAtLeastTheVocabulary_keepsEverything() {
        Candidates c = load(1f, 2f);

        new TopK(5).apply(c);

        assertThat(c.size).isEqualTo(2);
    }
}
