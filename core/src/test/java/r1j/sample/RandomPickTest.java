package r1j.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static r1j.sample.CandidateFixtures.load;
import static r1j.sample.CandidateFixtures.logitsOf;

import org.junit.jupiter.api.Test;

class RandomPickTest {

    /** A generator returning set uniform values: the pick is the inverse CDF of the draw. */
    private static java.util.random.RandomGenerator returning(double... values) {
        return new java.util.random.RandomGenerator() {
            private int i;

            @Override
            public long nextLong() {
                throw new UnsupportedOperationException("only nextDouble is used by RandomPick");
            }

            @Override
            public double nextDouble() {
                return values[i++];
            }
        };
    }

    @Test
    void invertsTheCumulativeDistribution() {
        RandomPick pick = new RandomPick(returning(0.1, 0.6, 0.85, 0.99999));
        Candidates c = load(logitsOf(0.5, 0.3, 0.2));

        assertThat(pick.pick(c)).isEqualTo(0);
        assertThat(pick.pick(c)).isEqualTo(1);
        assertThat(pick.pick(c)).isEqualTo(2);
        assertThat(pick.pick(c)).isEqualTo(2);
    }

    @Test
    void neverPicksATokenWithZeroProbability() {
        RandomPick pick = new RandomPick(returning(0.0, 0.9999999999));
        Candidates c = load(Float.NEGATIVE_INFINITY, 0f, Float.NEGATIVE_INFINITY);

        assertThat(pick.pick(c)).isEqualTo(1);
        assertThat(pick.pick(c)).isEqualTo(1);
    }
}
