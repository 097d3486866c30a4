package r1j.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import r1j.chat.ReasoningEvent.Answer;
import r1j.chat.ReasoningEvent.Reasoning;

class ReasoningParserTest {

    private final List<ReasoningEvent> events = new ArrayList<>();

    private ReasoningParser parse(boolean startsInReasoning, String... pieces) {
        ReasoningParser parser = new ReasoningParser(startsInReasoning, events::add);
        for (String piece : pieces) {
            parser.accept(piece);
        }
        parser.finish();
        return parser;
    }

    @Test
    void promptEndingInThink_outputStartsInsideTheThought() {
        ReasoningParser p = parse(true, "Let me add", ".\n", "</think>", "\n\n", "The answer is 4.");

        assertThat(p.reasoning()).isEqualTo("Let me add.");
        assertThat(p.answer()).isEqualTo("The answer is 4.");
        assertThat(events).containsExactly(new Reasoning("Let me add"), new Reasoning("."), new Answer("The answer is 4."));
    }

    @Test
    void closeTagSplitAcrossPieces_isHeldBackAndNeverEmittedAsText() {
        ReasoningParser p = parse(true, "abc</th", "ink>x");

        assertThat(events).containsExactly(new Reasoning("abc"), new Answer("x"));
        assertThat(p.reasoning()).isEqualTo("abc");
    }

    @Test
    void closeTagSplitIntoSingleCharacters_isRecognised() {
        ReasoningParser p = parse(true, "r", "<", "/", "t", "h", "i", "n", "k", ">", "\n", "a");

        assertThat(p.reasoning()).isEqualTo("r");
        assertThat(p.answer()).isEqualTo("a");
    }

    @Test
    void heldBackPrefixThatIsNotATag_isEmittedOnceDisproved() {
        ReasoningParser p = parse(true, "if a </", "b> then");

        assertThat(events).containsExactly(new Reasoning("if a "), new Reasoning("</b> then"));
        assertThat(p.reasoning()).isEqualTo("if a </b> then");
    }

    @Test
    void openTagAtStartOfOutput_isStrippedWithOneFollowingNewline() {
        ReasoningParser p = parse(false, "<th", "ink>", "\n", "hmm\n", "</think>\n\nok");

        assertThat(p.reasoning()).isEqualTo("hmm");
        assertThat(p.answer()).isEqualTo("ok");
    }

    @Test
    void inReasoning_followsTheTags() {
        ReasoningParser p = new ReasoningParser(false, events::add);
        assertThat(p.inReasoning()).isFalse();
        p.accept("<think>");
        assertThat(p.inReasoning()).isTrue();
        p.accept("x</think>");
        assertThat(p.inReasoning()).isFalse();
        p.accept("y");
        assertThat(p.inReasoning()).isFalse();
    }

    @Test
    void thoughtThatNeverCloses_isAllReasoning_andFinishFlushesTheHeldPrefix() {
        ReasoningParser p = parse(true, "still thinking ", "</thi");

        assertThat(p.reasoning()).isEqualTo("still thinking </thi");
        assertThat(p.answer()).isEmpty();
        assertThat(events).allMatch(e -> e instanceof Reasoning);
    }

    @Test
    void modelThatNeverThinks_isAllAnswer() {
        ReasoningParser p = parse(false, "Hello", ", world");

        assertThat(p.reasoning()).isEmpty();
        assertThat(p.answer()).isEqualTo("Hello, world");
        assertThat(events).containsExactly(new Answer("Hello"), new Answer(", world"));
    }

    @Test
    void answerStartingWithAngleBracket_isNotMistakenForOpenTag() {
        ReasoningParser p = parse(false, "<", "b>bold</b>");

        assertThat(p.answer()).isEqualTo("<b>bold</b>");
        assertThat(p.reasoning()).isEmpty();
    }

    @Test
    void partialOpenTagAtEnd_isAnswerText() {
        assertThat(parse(false, "<thi").answer()).isEqualTo("<thi");
    }

    @Test
    void newlinesInsideReasoningAndAnswer_arePreserved_onlyThoseAroundCloseTagDropped() {
        ReasoningParser p = parse(true, "a\n\n", "b\n", "\n</think>", "\n", "\nA\n\nB\n");

        assertThat(p.reasoning()).isEqualTo("a\n\nb");
        assertThat(p.answer()).isEqualTo("A\n\nB\n");
    }

    @Test
    void emptyAnswerAfterThought_emitsNoAnswerEvent() {
        ReasoningParser p = parse(true, "x</think>\n\n");

        assertThat(p.answer()).isEmpty();
        assertThat(events).containsExactly(new Reasoning("x"));
    }

    @Test
    void secondThinkTagInAnswer_isPlainAnswerText() {
        ReasoningParser p = parse(true, "r</think>see <think> and </think>");

        assertThat(p.answer()).isEqualTo("see <think> and </think>");
    }

    @Test
    void acceptAfterFinish_isRejected() {
        ReasoningParser p = parse(true, "x");

        assertThatThrownBy(() -> p.accept("y")).isInstanceOf(IllegalStateException.class);
    }

    static Stream<Arguments> wholeTexts() {
        return Stream.of(
                Arguments.of(true, "Think hard.\nStep 2.\n</think>\n\nFinal: **7**", "Think hard.\nStep 2.", "Final: **7**"),
                Arguments.of(false, "<think>\nplan</think>answer <i>x</i>", "plan", "answer <i>x</i>"),
                Arguments.of(false, "no thinking at all\n", "", "no thinking at all\n"),
                Arguments.of(true, "unterminated </ thought", "unterminated </ thought", ""));
    }

    @ParameterizedTest
    @MethodSource("wholeTexts")
    void anySplitIntoPieces_givesTheSameTotals(boolean startsInReasoning, String text, String reasoning, String answer) {
        for (int cut1 = 0; cut1 <= text.length(); cut1++) {
            for (int cut2 = cut1; cut2 <= text.length(); cut2++) {
                ReasoningParser p = parse(startsInReasoning,
                        text.substring(0, cut1), text.substring(cut1, cut2), text.substring(cut2));
                assertThat(p.reasoning()).as("cuts %d,%d", cut1, cut2).isEqualTo(reasoning);
                assertThat(p.answer()).as("cuts %d,%d", cut1, cut2).isEqualTo(answer);
            }
        }
        ReasoningParser charByChar = parse(startsInReasoning, text.split(""));
        assertThat(charByChar.reasoning()).isEqualTo(reasoning);
        assertThat(charByChar.answer()).isEqualTo(answer);
        assertThat(events).noneMatch(e -> e.text().isEmpty());
    }

    @Test
    void forPrompt_startsInsideTheThoughtWhenThePromptOpensIt() {
        ReasoningParser open = ReasoningParser.forPrompt("<｜User｜>Hi<｜Assistant｜><think>\n", events::add);
        ReasoningParser plain = ReasoningParser.forPrompt("<｜User｜>Hi<｜Assistant｜>", events::add);

        assertThat(open.inReasoning()).isTrue();
        assertThat(plain.inReasoning()).isFalse();
    }
}
