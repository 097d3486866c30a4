package r1j.chat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Loads the chat templates under core/src/test/resources/chat-templates; a missing file fails the test. */
final class TemplateResources {

    static final String DISTILL_QWEN = "deepseek-ai-DeepSeek-R1-Distill-Qwen-32B.jinja";
    static final String DISTILL_LLAMA = "deepseek-ai-DeepSeek-R1-Distill-Llama-8B.jinja";
    static final String LLAMA_CPP_R1 = "llama-cpp-deepseek-r1.jinja";
    static final String BOS = "<｜begin▁of▁sentence｜>";
    static final String EOS = "<｜end▁of▁sentence｜>";

    private TemplateResources() {
    }

    static String load(String name) {
        String path = "/chat-templates/" + name;
        try (InputStream in = TemplateResources.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + path + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
