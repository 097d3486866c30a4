package r1j.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static r1j.sample.CandidateFixtures.load;
import static r1j.sample.CandidateFixtures.logitsOf;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TemperatureTest {

    @Test
    void dividesLogits_sharpeningBelowOne() {
        Candidates c = load(2f, 4f);

        new Temperature(2f).apply(c);
        assertThat(Arrays.copyOf(c.logits, 2)).containsExactly(1f, 2f);

        Candidates d = load(logitsOf(0.8, 0.2));
        new Temperature(0.5f).apply(d);
        d.softmax();
        // p^2 renormalised: 0.64 / 0.68, 0.04 / 0.68
        assertThat(d.probs[0]).isCloseTo(0.64f / 0.68f, within(1e-6f));
        assertThat(d.probs[1]).isCloseTo(0.04f / 0.68f, within(1e-6f));
    }
}
