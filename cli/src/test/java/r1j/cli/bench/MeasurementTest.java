package r1j.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MeasurementTest {

    @Test
    void speeds_areAveragedPerRepetitionLikeLlamaBench() {
        // 100 tokens in 1 s and in 0.5 s: 100 and 200 t/s, mean 150, sample stddev sqrt(2 * 50²) = 70.71.
        Measurement m = new Measurement("tg100", 100, 100, new double[] {1.0, 0.5});
        assertThat(m.meanTokensPerSecond()).isCloseTo(150.0, within(1e-9));
        assertThat(m.stddevTokensPerSecond()).isCloseTo(70.7107, within(1e-4));
        assertThat(m.meanStepsPerSecond()).isCloseTo(150.0, within(1e-9));
    }

    @Test
    void batchedGeneration_streamsWeightsOncePerStepNotPerToken() {
        // 4 sequences x 10 steps = 40 tokens in 2 s: 20 t/s aggregate, 5 steps/s.
        Measurement m = new Measurement("tg10 x4", 40, 10, new double[] {2.0});
        assertThat(m.meanTokensPerSecond()).isCloseTo(20.0, within(1e-9));
        assertThat(m.stddevTokensPerSecond()).isZero();
        assertThat(m.meanStepsPerSecond()).isCloseTo(5.0, within(1e-9));
    }
}
