package r1j.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageTest {

    private static Usage usage(int completion, int reasoning, long ttftMs, long elapsedMs) {
        return new Usage(10, 4, completion, reasoning, Duration.ofMillis(ttftMs), Duration.ofMillis(elapsedMs));
    }

    @Test
    void decodeTokensPerSecond_countsTokensAfterTheFirst() {
        assertThat(usage(11, 0, 500, 1500).decodeTokensPerSecond()).isEqualTo(10.0);
        assertThat(usage(1, 0, 500, 500).decodeTokensPerSecond()).isZero();
    }

    @Test
    void completionUsage_countsThePromptOnce_andSumsTheChoices() {
        Choice a = new Choice(0, "", "x", FinishReason.STOP, usage(5, 2, 100, 900), new int[5], List.of(), null);
        Choice b = new Choice(1, "", "y", FinishReason.LENGTH, usage(7, 3, 120, 1200), new int[7], List.of(), null);
        Usage total = new Completion(new int[10], List.of(a, b)).usage();
        assertThat(total.promptTokens()).isEqualTo(10);
        assertThat(total.cachedTokens()).isEqualTo(4);
        assertThat(total.completionTokens()).isEqualTo(12);
        assertThat(total.reasoningTokens()).isEqualTo(5);
        assertThat(total.totalTokens()).isEqualTo(22);
        assertThat(total.timeToFirstToken()).isEqualTo(Duration.ofMillis(100));
        assertThat(total.elapsed()).isEqualTo(Duration.ofMillis(1200));
    }

    @Test
    void constructor_rejectsMoreCachedThanPromptTokens() {
        assertThatThrownBy(() -> new Usage(3, 4, 0, 0, Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cached 4 > prompt 3");
    }
}
