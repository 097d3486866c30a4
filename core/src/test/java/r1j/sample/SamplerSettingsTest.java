package r1j.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SamplerSettingsTest {

    @Test
    void r1Defaults_followTheDeepSeekR1ModelCard() {
        SamplerSettings s = SamplerSettings.r1Defaults();

        assertThat(s.temperature()).isEqualTo(0.6f);
        assertThat(s.topP()).isEqualTo(0.95f);
        assertThat(s.topK()).isZero();
        assertThat(s.minP()).isZero();
        assertThat(s.hasPenalties()).isFalse();
        assertThat(s.isGreedy()).isFalse();
        assertThat(s.seed()).isEqualTo(SamplerSettings.RANDOM_SEED);
    }

    @Test
    void greedy_isTemperatureZero() {
        assertThat(SamplerSettings.greedy().isGreedy()).isTrue();
        assertThat(SamplerSettings.r1Defaults().withTemperature(0f).isGreedy()).isTrue();
    }

    @Test
    void outOfRangeValues_areRejectedNamingFieldAndRange() {
        SamplerSettings d = SamplerSettings.r1Defaults();

        assertThatThrownBy(() -> d.withTopP(1.5f)).hasMessage("top_p 1.5 is out of range [0, 1]");
        assertThatThrownBy(() -> d.withMinP(-0.1f)).hasMessage("min_p -0.1 is out of range [0, 1]");
        assertThatThrownBy(() -> d.withTemperature(-1f)).hasMessage("temperature -1.0 is out of range [0, 100]");
        assertThatThrownBy(() -> d.withTemperature(Float.NaN)).hasMessageContaining("temperature NaN is out of range");
        assertThatThrownBy(() -> d.withTopK(-1)).hasMessageContaining("top_k -1 is out of range");
        assertThatThrownBy(() -> d.withPenalties(0f, 0f, 0f, 64)).hasMessageContaining("repetition_penalty 0.0 is out of range (0, 10]");
        assertThatThrownBy(() -> d.withPenalties(1f, 2.5f, 0f, 64)).hasMessage("presence_penalty 2.5 is out of range [-2, 2]");
        assertThatThrownBy(() -> d.withPenalties(1f, 0f, -3f, 64)).hasMessage("frequency_penalty -3.0 is out of range [-2, 2]");
        assertThatThrownBy(() -> d.withPenalties(1f, 0f, 0f, -2)).hasMessageContaining("penalty_last_n -2 is out of range");
    }

    @Test
    void hasPenalties_onlyWhenAPenaltyIsActiveAndTheWindowIsNotEmpty() {
        SamplerSettings d = SamplerSettings.r1Defaults();

        assertThat(d.withPenalties(1.1f, 0f, 0f, 64).hasPenalties()).isTrue();
        assertThat(d.withPenalties(1f, 0.5f, 0f, -1).hasPenalties()).isTrue();
        assertThat(d.withPenalties(1.1f, 0f, 0f, 0).hasPenalties()).isFalse();
    }
}
