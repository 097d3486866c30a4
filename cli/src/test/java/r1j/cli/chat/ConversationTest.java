package r1j.cli.chat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import r1j.chat.ChatMessage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConversationTest {

    @TempDir
    Path dir;

    @Test
    void saveThenLoad_keepsRolesContentAndReasoning() throws IOException {
        Conversation chat = new Conversation();
        chat.add(ChatMessage.system("Be brief."));
        chat.add(ChatMessage.user("2+2? \"quoted\" ünïcode"));
        chat.add(ChatMessage.assistant("4", "Two and two make four."));
        Path file = dir.resolve("chat.json");

        chat.save(file);

        assertThat(Conversation.load(file)).isEqualTo(chat.messages());
        assertThat(Files.readString(file)).contains("\"reasoning_content\" : \"Two and two make four.\"");
    }

    @Test
    void load_acceptsOpenAiRequestShapeAndBareArray() throws IOException {
        Path request = Files.writeString(dir.resolve("req.json"), """
                {"model": "deepseek-reasoner", "messages": [{"role": "user", "content": "hi"}], "stream": true}
                """);
        Path array = Files.writeString(dir.resolve("arr.json"), """
                [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello", "reasoning_content": null}]
                """);

        assertThat(Conversation.load(request)).containsExactly(ChatMessage.user("hi"));
        assertThat(Conversation.load(array)).containsExactly(ChatMessage.user("hi"), ChatMessage.assistant("hello"));
    }

    @Test
    void load_namesTheBadMessage() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.json"), """
                {"messages": [{"role": "user", "content": "hi"}, {"role": "robot", "content": "x"}]}
                """);
        Path noContent = Files.writeString(dir.resolve("nc.json"), "{\"messages\": [{\"role\": \"user\"}]}");

        assertThatThrownBy(() -> Conversation.load(bad)).hasMessageContaining("message role 'robot' is not supported");
        assertThatThrownBy(() -> Conversation.load(noContent))
                .hasMessageContaining("message 0 needs a text \"role\" and a text \"content\"");
    }

    @Test
    void removeLastAndReplace_editTheHistory() {
        Conversation chat = new Conversation();
        chat.add(ChatMessage.user("a"));
        chat.add(ChatMessage.user("b"));
        chat.removeLast();
        assertThat(chat.messages()).containsExactly(ChatMessage.user("a"));

        chat.replaceWith(List.of(ChatMessage.user("c")));
        assertThat(chat.messages()).containsExactly(ChatMessage.user("c"));
        chat.clear();
        assertThat(chat.isEmpty()).isTrue();
    }
}
