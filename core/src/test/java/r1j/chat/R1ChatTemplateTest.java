package r1j.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static r1j.chat.ChatMessage.assistant;
import static r1j.chat.ChatMessage.system;
import static r1j.chat.ChatMessage.tool;
import static r1j.chat.ChatMessage.user;
import static r1j.chat.TemplateResources.BOS;
import static r1j.chat.TemplateResources.EOS;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The hand-written R1 format must match the DeepSeek-R1-Distill template text for text. */
class R1ChatTemplateTest {

    private final ChatTemplate r1 = new R1ChatTemplate(BOS);
    private final ChatTemplate distill = new JinjaChatTemplate(TemplateResources.load(TemplateResources.DISTILL_QWEN), BOS, EOS);

    static Stream<Arguments> histories() {
        return Stream.of(
                Arguments.of("single user", List.of(user("Hello"))),
                Arguments.of("system + user", List.of(system("You are a helpful assistant."), user("2+2?"))),
                Arguments.of("system last", List.of(user("Q"), system("late system"))),
                Arguments.of("two systems", List.of(system("one"), user("Q"), system("two"))),
                Arguments.of("multi-turn with reasoning", List.of(
                        system("Reason step by step."),
                        user("What is 6*7?"),
                        assistant("<think>\n6*7 = 42\n</think>\n\n**42**"),
                        user("And 6*8?"),
                        assistant("<think>one more 6</think>48", "ignored reasoning field"),
                        user("Thanks"))),
                Arguments.of("assistant without reasoning", List.of(user("a"), assistant("b"), user("c"))),
                Arguments.of("assistant only thoughts", List.of(user("a"), assistant("<think>x</think>"), user("c"))),
                Arguments.of("multi-line and unicode", List.of(user("line1\nline2 — ünïcödé 数学"), assistant("ok\n"))),
                Arguments.of("tool outputs", List.of(user("weather?"), tool("sunny"), tool("22C"), assistant("It is sunny."))),
                Arguments.of("ends in tool output", List.of(user("weather?"), tool("sunny"))),
                Arguments.of("tool call round trip", List.of(user("weather?"),
                        assistant("{\"name\":\"get\",\"arguments\":{\"city\":\"Oslo\"}}"), tool("sunny"), assistant("It is sunny."))),
                Arguments.of("two calls, two turns", List.of(user("weather?"),
                        assistant("{\"name\":\"get\",\"arguments\":{\"city\":\"Oslo\"}}\n{\"name\":\"get\",\"arguments\":{}}"),
                        tool("sunny"), tool("rain"), assistant("Mixed."), user("and now?"),
                        assistant("{\"name\":\"get\",\"arguments\":{\"city\":\"Bergen\"}}"), tool("fog"))),
                Arguments.of("empty conversation", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("histories")
    void render_equalsDistillTemplate(String description, List<ChatMessage> history) {
        assertThat(r1.render(history, true)).isEqualTo(distill.render(history, true));
        assertThat(r1.render(history, false)).isEqualTo(distill.render(history, false));
    }

    @Test
    void render_multiTurn_matchesTheFormatWrittenOut() {
        List<ChatMessage> history = List.of(system("S"), user("Q1"), assistant("<think>r</think>\n\nA1"), user("Q2"));

        assertThat(r1.render(history, true)).isEqualTo(BOS + "S<｜User｜>Q1<｜Assistant｜>\n\nA1<｜end▁of▁sentence｜>"
                + "<｜User｜>Q2<｜Assistant｜><think>\n");
    }

    @Test
    void render_assistantCallLines_becomeDeepSeekToolCallMarkup_inBothTemplates() {
        List<ChatMessage> history = List.of(user("w?"), assistant("{\"name\":\"get\",\"arguments\":{\"c\":1}}"), tool("22"));
        String expected = BOS + "<｜User｜>w?<｜Assistant｜><｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>get\n"
                + "```json\n{\"c\":1}\n```<｜tool▁call▁end｜><｜tool▁outputs▁begin｜><｜tool▁output▁begin｜>22<｜tool▁output▁end｜>"
                + "<｜tool▁outputs▁end｜>";
        assertThat(r1.render(history, true)).isEqualTo(expected);
        assertThat(distill.render(history, true)).isEqualTo(expected);
    }

    @Test
    void render_toolOutputs_areWrappedAndSuppressTheGenerationPrompt() {
        String prompt = r1.render(List.of(user("w?"), tool("a"), tool("b")), true);

        assertThat(prompt).isEqualTo(BOS + "<｜User｜>w?<｜tool▁outputs▁begin｜><｜tool▁output▁begin｜>a<｜tool▁output▁end｜>"
                + "\n<｜tool▁output▁begin｜>b<｜tool▁output▁end｜><｜tool▁outputs▁end｜>");
    }

    @Test
    void render_withEmptyBos_startsWithSystemPrompt() {
        assertThat(new R1ChatTemplate("").render(List.of(system("S"), user("Q")), false)).isEqualTo("S<｜User｜>Q");
    }
}
