package r1j.chat;

import java.util.List;
import java.util.Objects;

/**
 * The DeepSeek-R1 prompt format written out by hand, for model files that carry no {@code tokenizer.chat_template}.
 *
 * <p>It produces exactly what the DeepSeek-R1-Distill template (Hugging Face {@code tokenizer_config.json} of
 * DeepSeek-R1-Distill-Qwen/Llama) renders for messages without tool calls:
 * <pre>
 * bos + lastSystemPrompt
 *   + per user:      "&lt;｜User｜&gt;" + content
 *   + per assistant: "&lt;｜Assistant｜&gt;" + content after the last &lt;/think&gt; + "&lt;｜end▁of▁sentence｜&gt;"
 *   + per tool:      tool-output blocks
 *   + "&lt;｜Assistant｜&gt;&lt;think&gt;\n" when a generation prompt is asked for
 * </pre>
 * The system prompt goes first whatever its position in the list, and only the last system message counts, as in
 * the reference template. The end-of-sentence marker is the literal DeepSeek token text, as in the reference.
 */
public final class R1ChatTemplate implements ChatTemplate {

    static final String USER = "<｜User｜>";
    static final String ASSISTANT = "<｜Assistant｜>";
    static final String END_OF_SENTENCE = "<｜end▁of▁sentence｜>";
    static final String GENERATION_PROMPT = ASSISTANT + "<think>\n";
    private static final String TOOL_OUTPUTS_BEGIN = "<｜tool▁outputs▁begin｜>";
    private static final String TOOL_OUTPUTS_END = "<｜tool▁outputs▁end｜>";
    private static final String TOOL_OUTPUT_BEGIN = "<｜tool▁output▁begin｜>";
    private static final String TOOL_OUTPUT_END = "<｜tool▁output▁end｜>";

    private final String bosToken;

    /**
     * @param bosToken the BOS token text put at the start of every prompt, may be empty
     */
    public R1ChatTemplate(String bosToken) {
        this.bosToken = Objects.requireNonNull(bosToken, "bosToken");
    }

    @Override
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        StringBuilder out = new StringBuilder(bosToken).append(systemPrompt(messages));
        // State mirrors the reference template's namespace: inside a run of tool outputs, and whether any tool
        // output was written yet (the reference never resets the latter).
        boolean inToolOutputs = false;
        boolean firstToolOutput = true;
        for (ChatMessage m : messages) {
            switch (m.role()) {
                case SYSTEM -> { }
                case USER -> {
                    inToolOutputs = false;
                    out.append(USER).append(m.content());
                }
                case ASSISTANT -> {
                    if (inToolOutputs) {
                        out.append(TOOL_OUTPUTS_END).append(m.contentWithoutReasoning()).append(END_OF_SENTENCE);
                        inToolOutputs = false;
                    } else {
                        out.append(ASSISTANT).append(m.contentWithoutReasoning()).append(END_OF_SENTENCE);
                    }
                }
                case TOOL -> {
                    inToolOutputs = true;
                    out.append(firstToolOutput ? TOOL_OUTPUTS_BEGIN : "\n")
                            .append(TOOL_OUTPUT_BEGIN).append(m.content()).append(TOOL_OUTPUT_END);
                    firstToolOutput = false;
                }
            }
        }
        if (inToolOutputs) {
            out.append(TOOL_OUTPUTS_END);
        } else if (addGenerationPrompt) {
            out.append(GENERATION_PROMPT);
        }
        return out.toString();
    }

    private static String systemPrompt(List<ChatMessage> messages) {
        String prompt = "";
        for (ChatMessage m : messages) {
            if (m.role() == ChatMessage.Role.SYSTEM) {
                prompt = m.content();
            }
        }
        return prompt;
    }
}
