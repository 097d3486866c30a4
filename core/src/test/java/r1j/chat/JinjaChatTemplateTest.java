package r1j.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static r1j.chat.ChatMessage.assistant;
import static r1j.chat.ChatMessage.system;
import static r1j.chat.ChatMessage.user;
import static r1j.chat.TemplateResources.BOS;
import static r1j.chat.TemplateResources.EOS;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders the DeepSeek-R1 templates shipped in GGUF files. Expected strings were written by reading each template
 * (as Hugging Face / llama.cpp render it with trim_blocks and lstrip_blocks), not produced by this code.
 */
class JinjaChatTemplateTest {

    private static ChatTemplate template(String name) {
        return new JinjaChatTemplate(TemplateResources.load(name), BOS, EOS);
    }

    @ParameterizedTest
    @ValueSource(strings = {TemplateResources.DISTILL_QWEN, TemplateResources.DISTILL_LLAMA})
    void distill_singleTurnWithoutSystem_endsInOpenThought(String name) {
        String prompt = template(name).render(List.of(user("What is 2+2?")), true);

        assertThat(prompt).isEqualTo(BOS + "<｜User｜>What is 2+2?<｜Assistant｜><think>\n");
    }

    @Test
    void distill_systemPromptGoesRightAfterBos() {
        String prompt = template(TemplateResources.DISTILL_QWEN)
                .render(List.of(system("You are terse."), user("Hi")), true);

        assertThat(prompt).isEqualTo(BOS + "You are terse.<｜User｜>Hi<｜Assistant｜><think>\n");
    }

    @Test
    void distill_systemMessageAfterUser_isStillPlacedFirst_andLastSystemWins() {
        String prompt = template(TemplateResources.DISTILL_QWEN)
                .render(List.of(system("first"), user("Hi"), system("second")), false);

        assertThat(prompt).isEqualTo(BOS + "second<｜User｜>Hi");
    }

    @Test
    void distill_withoutGenerationPrompt_endsAfterLastMessage() {
        String prompt = template(TemplateResources.DISTILL_QWEN).render(List.of(user("Hi")), false);

        assertThat(prompt).isEqualTo(BOS + "<｜User｜>Hi");
    }

    @Test
    void distill_multiTurn_keepsOnlyTheAnswerOfEarlierAssistantTurns() {
        List<ChatMessage> history = List.of(
                system("S"),
                user("What is 2+2?"),
                assistant("<think>\nTwo plus two.\n</think>\n\n4"),
                user("And 3+3?"));

        String prompt = template(TemplateResources.DISTILL_QWEN).render(history, true);

        assertThat(prompt).isEqualTo(BOS + "S<｜User｜>What is 2+2?<｜Assistant｜>\n\n4<｜end▁of▁sentence｜>"
                + "<｜User｜>And 3+3?<｜Assistant｜><think>\n");
        assertThat(prompt).doesNotContain("Two plus two");
    }

    @Test
    void distill_assistantEndingInCloseTag_rendersEmptyContentLikePythonSplit() {
        String prompt = template(TemplateResources.DISTILL_QWEN)
                .render(List.of(user("Q"), assistant("<think>only thoughts</think>")), false);

        assertThat(prompt).isEqualTo(BOS + "<｜User｜>Q<｜Assistant｜><｜end▁of▁sentence｜>");
    }

    @Test
    void reasoningContentField_isNeverRendered() {
        List<ChatMessage> history = List.of(user("Q"), assistant("A", "secret chain of thought"), user("Q2"));

        for (String name : List.of(TemplateResources.DISTILL_QWEN, TemplateResources.LLAMA_CPP_R1)) {
            assertThat(template(name).render(history, true)).doesNotContain("secret chain of thought");
        }
    }

    @Test
    void llamaCpp_singleTurn_closesUserTurnWithEndOfSentence() {
        String prompt = template(TemplateResources.LLAMA_CPP_R1).render(List.of(user("Hi")), true);

        assertThat(prompt).isEqualTo(BOS + "<｜User｜>Hi<｜end▁of▁sentence｜><｜Assistant｜><think>\n");
    }

    @Test
    void llamaCpp_multiTurnWithSystem_dropsEarlierReasoning() {
        List<ChatMessage> history = List.of(
                system("Be brief."),
                user("Q1"),
                assistant("<think>\nhmm\n</think>\n\nA1"),
                user("Q2"));

        String prompt = template(TemplateResources.LLAMA_CPP_R1).render(history, true);

        assertThat(prompt).isEqualTo(BOS + "Be brief.<｜User｜>Q1<｜end▁of▁sentence｜><｜Assistant｜>\n\nA1"
                + "<｜end▁of▁sentence｜><｜User｜>Q2<｜end▁of▁sentence｜><｜Assistant｜><think>\n");
    }

    @Test
    void llamaCpp_withoutGenerationPrompt_hasNoAssistantPrefix() {
        String prompt = template(TemplateResources.LLAMA_CPP_R1)
                .render(List.of(system("S"), user("Hi"), assistant("Hello")), false);

        assertThat(prompt).isEqualTo(BOS + "S<｜User｜>Hi<｜end▁of▁sentence｜><｜Assistant｜>Hello<｜end▁of▁sentence｜>");
    }

    @Test
    void llamaCpp_toolOutputs_areFlushedByTheMacroBeforeTheNextAssistantTurn() {
        List<ChatMessage> history = List.of(user("w?"), ChatMessage.tool("a"), ChatMessage.tool("b"), assistant("ok"));

        String prompt = template(TemplateResources.LLAMA_CPP_R1).render(history, false);

        assertThat(prompt).isEqualTo(BOS + "<｜User｜>w?<｜end▁of▁sentence｜><｜tool▁outputs▁begin｜>"
                + "\n<｜tool▁output▁begin｜>a<｜tool▁output▁end｜>\n<｜tool▁output▁begin｜>b<｜tool▁output▁end｜>"
                + "<｜tool▁outputs▁end｜><｜end▁of▁sentence｜><｜Assistant｜>ok<｜end▁of▁sentence｜>");
    }

    @Test
    void whitespace_trimBlocksAndLstripBlocks_likeHuggingFace() {
        // trim_blocks drops the newline after a block tag; lstrip_blocks drops the indentation before one.
        String source = "{% for m in messages %}\n    {% if m.role == 'user' %}\n[{{ m.content }}]\n    {% endif %}\n{% endfor %}";

        String prompt = new JinjaChatTemplate(source, "", "").render(List.of(user("a"), user("b")), false);

        assertThat(prompt).isEqualTo("[a]\n[b]\n");
    }

    @Test
    void eosAndGenerationFlag_areAvailableToTemplates() {
        String source = "{{ bos_token }}{% for m in messages %}{{ m['content'] }}{{ eos_token }}{% endfor %}"
                + "{% if add_generation_prompt %}>{% endif %}";

        String prompt = new JinjaChatTemplate(source, "<s>", "</s>").render(List.of(user("x")), true);

        assertThat(prompt).isEqualTo("<s>x</s>>");
    }

    @Test
    void templateThatDoesNotParse_failsAtConstructionNamingTheProblem() {
        assertThatThrownBy(() -> new JinjaChatTemplate("{% for m in messages %}{{ m.content }}", "", ""))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageContaining("does not parse");
    }

    @Test
    void raiseException_inTemplate_becomesChatTemplateExceptionWithItsMessage() {
        String source = "{% if messages[0]['role'] != 'user' %}{{ raise_exception('Conversation must start with a user') }}{% endif %}ok";
        ChatTemplate t = new JinjaChatTemplate(source, "", "");

        assertThat(t.render(List.of(user("x")), false)).isEqualTo("ok");
        assertThatThrownBy(() -> t.render(List.of(assistant("x")), false))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageContaining("Conversation must start with a user");
    }

    @Test
    void of_withoutTemplate_fallsBackToR1Format() {
        assertThat(ChatTemplate.of(null, BOS, EOS)).isInstanceOf(R1ChatTemplate.class);
        assertThat(ChatTemplate.of("  ", BOS, EOS)).isInstanceOf(R1ChatTemplate.class);
        assertThat(ChatTemplate.of("{{ bos_token }}", BOS, EOS)).isInstanceOf(JinjaChatTemplate.class);
    }

    @Test
    void endsInReasoning_detectsPromptOpeningTheThought() {
        assertThat(ChatTemplate.endsInReasoning(BOS + "<｜User｜>Hi<｜Assistant｜><think>\n")).isTrue();
        assertThat(ChatTemplate.endsInReasoning(BOS + "<｜User｜>Hi<｜Assistant｜>")).isFalse();
        assertThat(ChatTemplate.endsInReasoning("<think>x</think>answer")).isFalse();
    }

    @Test
    void render_fromManyThreadsAtOnce_givesTheSameText() throws Exception {
        ChatTemplate t = template(TemplateResources.DISTILL_QWEN);
        List<ChatMessage> history = List.of(system("S"), user("Q1"), assistant("<think>r</think>A1"), user("Q2"));
        String expected = t.render(history, true);

        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            List<java.util.concurrent.Future<String>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 32; i++) {
                results.add(pool.submit(() -> t.render(history, true)));
            }
            for (var r : results) {
                assertThat(r.get()).isEqualTo(expected);
            }
        }
    }
}
