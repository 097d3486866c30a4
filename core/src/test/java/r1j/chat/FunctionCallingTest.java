package r1j.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FunctionCallingTest {

    @Test
    void parse_readsOneCallPerLine_ofKnownFunctionsOnly() {
        String answer = "{\"name\":\"a\",\"arguments\":{\"x\":1}}\n{\"name\":\"b\",\"arguments\":{}}\n";
        assertThat(FunctionCalling.parse(answer, Set.of("a", "b"))).containsExactly(
                new FunctionCalling.Call("a", "{\"x\":1}"), new FunctionCalling.Call("b", "{}"));
        assertThat(FunctionCalling.parse(answer, Set.of("a"))).as("an unknown function makes it plain text").isEmpty();
        assertThat(FunctionCalling.parse("The answer is 4.", Set.of("a"))).isEmpty();
        assertThat(FunctionCalling.parse("{\"name\":\"a\",\"arguments\":[1]}", Set.of("a"))).isEmpty();
    }

    @Test
    void callText_roundTripsThroughParse() {
        String line = FunctionCalling.callText("get", "{\"city\": \"Oslo\"}");
        assertThat(line).isEqualTo("{\"name\":\"get\",\"arguments\":{\"city\":\"Oslo\"}}");
        assertThat(FunctionCalling.parse(line, Set.of("get"))).containsExactly(new FunctionCalling.Call("get", "{\"city\":\"Oslo\"}"));
        assertThatThrownBy(() -> FunctionCalling.callText("get", "[1]")).hasMessageContaining("must be a JSON object");
    }

    @Test
    void withSystemText_appendsToTheLastSystemMessage_orPutsOneFirst() {
        List<ChatMessage> none = FunctionCalling.withSystemText(List.of(ChatMessage.user("hi")), "T");
        assertThat(none.getFirst()).isEqualTo(ChatMessage.system("T"));
        List<ChatMessage> two = FunctionCalling.withSystemText(
                List.of(ChatMessage.system("a"), ChatMessage.user("hi"), ChatMessage.system("b")), "T");
        assertThat(two.get(2).content()).isEqualTo("b\n\nT");
        assertThat(two.get(0).content()).isEqualTo("a");
    }

    @Test
    void parse_readsDeepSeekAndQwenTemplateMarkup() {
        String r1 = "<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>get\n```json\n{\"city\": \"Oslo\"}\n```<｜tool▁call▁end｜>"
                + "\n<｜tool▁call▁begin｜>function<｜tool▁sep｜>get\n```json\n{}\n```<｜tool▁call▁end｜><｜tool▁calls▁end｜>";
        assertThat(FunctionCalling.parse(r1, Set.of("get"))).containsExactly(
                new FunctionCalling.Call("get", "{\"city\":\"Oslo\"}"), new FunctionCalling.Call("get", "{}"));
        String qwen = "Let me check.\n<tool_call>\n{\"name\": \"get\", \"arguments\": {\"city\": \"Oslo\"}}\n</tool_call>";
        assertThat(FunctionCalling.parse(qwen, Set.of("get"))).containsExactly(new FunctionCalling.Call("get", "{\"city\":\"Oslo\"}"));
        assertThat(FunctionCalling.parse(qwen, Set.of("other"))).isEmpty();
    }
}
