package r1j.cli.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import r1j.sample.SamplerSettings;

class ChatSettingsTest {

    private static final ChatSettings DEFAULTS = new ChatSettings(true, true, -1, SamplerSettings.r1Defaults(), -1);

    @Test
    void with_setsEachKeyOnTheSamplerOrTheReplyLength() {
        SamplerSettings r1 = SamplerSettings.r1Defaults();
        assertThat(DEFAULTS.with("temperature", "0").sampling()).isEqualTo(r1.withTemperature(0));
        assertThat(DEFAULTS.with("top_p", "0.9").sampling()).isEqualTo(r1.withTopP(0.9f));
        assertThat(DEFAULTS.with("top-k", "40").sampling()).as("llama.cpp's spelling").isEqualTo(r1.withTopK(40));
        assertThat(DEFAULTS.with("min_p", "0.05").sampling()).isEqualTo(r1.withMinP(0.05f));
        assertThat(DEFAULTS.with("repeat_penalty", "1.1").sampling().repetitionPenalty()).isEqualTo(1.1f);
        assertThat(DEFAULTS.with("seed", "42").sampling().seed()).isEqualTo(42L);
        assertThat(DEFAULTS.with("seed", "42").with("seed", "random").sampling().seed()).isEqualTo(SamplerSettings.RANDOM_SEED);
        assertThat(DEFAULTS.with("max_tokens", "128").maxTokens()).isEqualTo(128);
        assertThat(DEFAULTS.with("max_tokens", "128").with("max_tokens", "off").maxTokens()).isEqualTo(-1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "temperature|hot|use /set temperature NUMBER, got 'hot'",
            "temperature|-1|cannot set temperature: temperature -1.0 is out of range [0, 100]",
            "top_k|-3|cannot set top_k: top_k -3 is out of range",
            "max_tokens|0|cannot set max_tokens: max_tokens 0 must be positive, or -1 for no limit",
            "seed|-2|use /set seed N with N >= 0, or /set seed random; got '-2'",
            "mirostat|2|no setting 'mirostat'; /set takes temperature, top_p"})
    void with_rejectsBadKeysAndValuesNamingThem(String key, String value, String message) {
        assertThatThrownBy(() -> DEFAULTS.with(key, value)).isInstanceOf(IllegalArgumentException.class)
                .message().contains(message);
    }

    @Test
    void effectiveBudget_isZeroWhenThinkingIsOff() {
        assertThat(DEFAULTS.withBudget(64).effectiveBudget()).isEqualTo(64);
        assertThat(DEFAULTS.withBudget(64).withThink(false).effectiveBudget()).isZero();
    }

    @Test
    void describe_listsEveryKeyWithItsValue() {
        String text = DEFAULTS.with("temperature", "0").describe();
        assertThat(text).contains("temperature     0 (greedy)", "top_p           0.95", "top_k           0 (off)",
                "seed            random", "max_tokens      off (until the context is full)", "think           on");
        for (String key : ChatSettings.KEYS) {
            assertThat(text).contains(key + " ");
        }
    }
}
