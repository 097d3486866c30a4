package r1j.train.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import r1j.chat.ChatMessage;
import r1j.chat.JinjaChatTemplate;
import r1j.chat.R1ChatTemplate;
import r1j.train.recipe.GgufExport;

/**
 * Training conversations are rendered exactly as the engine renders the same messages: checked against r1j's
 * hand-written R1 template and the Jinja template exported in every tiny-R1 GGUF (what {@code r1j serve} and
 * {@code r1j chat} use), with assistant messages sent back whole (reasoning included) or as their content only.
 */
class ChatTest {

    @Test
    void prompt_equalsTheR1ChatTemplatesRendering_forSystemPromptsAndEarlierTurns() throws Exception {
        var jinja = new JinjaChatTemplate(GgufExport.chatTemplate(), TinyVocab.BOS, TinyVocab.EOS);
        var handWritten = new R1ChatTemplate(TinyVocab.BOS);
        List<Chat> chats = List.of(
                Chat.of("What is 12+7?"),
                new Chat("You are a helpful assistant.", List.of(), "what's 12 plus 7\n"),
                new Chat("", List.of(new Chat.Turn("5 + 1234", "The answer is \\boxed{1239}."),
                        new Chat.Turn("hi", "\n\nI can only add.")), "Compute 905 - 917."),
                new Chat("Be brief.", List.of(new Chat.Turn("100 - 1", "The answer is \\boxed{99}.")), "12*7"));
        for (Chat c : chats) {
            List<ChatMessage> messages = new ArrayList<>();
            List<ChatMessage> withReasoning = new ArrayList<>();
            if (!c.system().isEmpty()) {
                messages.add(ChatMessage.system(c.system()));
                withReasoning.add(ChatMessage.system(c.system()));
            }
            for (Chat.Turn t : c.earlier()) {
                messages.add(ChatMessage.user(t.question()));
                messages.add(ChatMessage.assistant(t.reply()));
                withReasoning.add(ChatMessage.user(t.question()));
                // a client that keeps the whole text: the template drops everything up to </think>
                withReasoning.add(ChatMessage.assistant("working\n</think>" + t.reply()));
            }
            messages.add(ChatMessage.user(c.question()));
            withReasoning.add(ChatMessage.user(c.question()));
            assertThat(c.prompt()).isEqualTo(handWritten.render(messages, true)).isEqualTo(jinja.render(messages, true))
                    .isEqualTo(jinja.render(withReasoning, true));
        }
    }

    @Test
    void systemPrompts_heldOutOnesAreNeverDrawnInTraining() {
        var rnd = new SplittableRandom(3);
        for (int i = 0; i < 20_000; i++) {
            assertThat(SystemPrompts.HELD_OUT).doesNotContain(SystemPrompts.train(rnd));
        }
    }
}
