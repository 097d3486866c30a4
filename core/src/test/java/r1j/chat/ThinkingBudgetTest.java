package r1j.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ThinkingBudgetTest {

    @Test
    void unlimited_neverForcesClose() {
        ThinkingBudget b = ThinkingBudget.unlimited();

        assertThat(b.closeBeforeFirstToken(true)).isFalse();
        for (int i = 0; i < 10_000; i++) {
            assertThat(b.shouldCloseAfter(true)).isFalse();
        }
        assertThat(b.reasoningTokens()).isEqualTo(10_000);
        assertThat(b.forcedClose()).isFalse();
    }

    @Test
    void zeroBudget_withPromptOpeningTheThought_closesBeforeTheFirstToken() {
        ThinkingBudget b = new ThinkingBudget(0);

        assertThat(b.closeBeforeFirstToken(true)).isTrue();
        assertThat(b.closeBeforeFirstToken(true)).as("only once").isFalse();
        assertThat(b.shouldCloseAfter(false)).isFalse();
        assertThat(b.forcedClose()).isTrue();
        assertThat(b.reasoningTokens()).isZero();
    }

    @Test
    void zeroBudget_whenModelOpensTheThoughtItself_closesAfterThatToken() {
        ThinkingBudget b = new ThinkingBudget(0);

        assertThat(b.closeBeforeFirstToken(false)).isFalse();
        assertThat(b.shouldCloseAfter(true)).isTrue();
    }

    @Test
    void budgetN_closesAfterExactlyNReasoningTokens_once() {
        ThinkingBudget b = new ThinkingBudget(3);

        assertThat(b.closeBeforeFirstToken(true)).isFalse();
        assertThat(b.shouldCloseAfter(true)).isFalse();
        assertThat(b.shouldCloseAfter(true)).isFalse();
        assertThat(b.shouldCloseAfter(true)).isTrue();
        assertThat(b.shouldCloseAfter(true)).as("already forced").isFalse();
        assertThat(b.reasoningTokens()).isEqualTo(3);
    }

    @Test
    void answerTokens_doNotCount_andAModelThatClosesInTimeIsNeverForced() {
        ThinkingBudget b = new ThinkingBudget(2);

        assertThat(b.shouldCloseAfter(true)).isFalse();
        for (int i = 0; i < 100; i++) {
            assertThat(b.shouldCloseAfter(false)).isFalse();
        }
        assertThat(b.reasoningTokens()).isEqualTo(1);
        assertThat(b.forcedClose()).isFalse();
    }

    @Test
    void budgetBelowMinusOne_isRejectedWithRange() {
        assertThatThrownBy(() -> new ThinkingBudget(-2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1 for unlimited");
    }

    @Test
    void closeText_closesTheThoughtForTheParser() {
        ReasoningParser parser = new ReasoningParser(true, e -> { });
        parser.accept("half a thought");
        parser.accept(ThinkingBudget.CLOSE_TEXT);
        parser.accept("answer");
        parser.finish();

        assertThat(parser.reasoning()).isEqualTo("half a thought");
        assertThat(parser.answer()).isEqualTo("answer");
    }
}
