package r1j.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Qwen3's chat template (Qwen/Qwen3-0.6B, as llama.cpp ships it) rendered through jinjava equals what Hugging Face's
 * renderer produces: {@code qwen3-hf-renderings.json} was rendered by Python's jinja2 with transformers' settings
 * (sandboxed, trim_blocks, lstrip_blocks), single- and multi-turn, with and without the generation prompt.
 */
class Qwen3ChatTemplateTest {

    @ParameterizedTest
    @ValueSource(strings = {"single", "system", "multi", "lastAssistant", "multiNoPrompt"})
    void render_matchesHuggingFaceJinja2(String name) throws Exception {
        JsonNode cases = new ObjectMapper().readTree(TemplateResources.load("qwen3-hf-renderings.json"));
        JsonNode c = cases.path(name);
        assertThat(c.isObject()).as("case %s", name).isTrue();
        List<ChatMessage> messages = new ArrayList<>();
        for (JsonNode m : c.path("messages")) {
            String content = m.path("content").asText();
            messages.add(switch (m.path("role").asText()) {
                case "system" -> ChatMessage.system(content);
                case "user" -> ChatMessage.user(content);
                case "assistant" -> ChatMessage.assistant(content);
                default -> throw new IllegalStateException("unexpected role in " + name);
            });
        }
        ChatTemplate template = new JinjaChatTemplate(TemplateResources.load("Qwen-Qwen3-0.6B.jinja"), "", "<|im_end|>");

        String rendered = template.render(messages, c.path("add_generation_prompt").asBoolean());

        assertThat(rendered).isEqualTo(c.path("rendered").asText());
    }
}
