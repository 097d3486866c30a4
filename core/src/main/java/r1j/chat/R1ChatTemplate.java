package r1j.chat;

import java.util.List;
import java.util.Objects;

/**
 * The DeepSeek-R1 prompt format written out by hand, for model files that carry no {@code tokenizer.chat_template}.
 *
 * <p>It produces exactly what the DeepSeek-R1-Distill template (Hugging Face {@code tokenizer_config.json} of
 * DeepSeek-R1-Distill-Qwen/Llama) renders, tool calls included (an assistant message of call lines, see
 * {@link FunctionCalling}, is written in DeepSeek's tool-call markup):
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
    private static final String TOOL_CALLS_BEGIN = "<｜tool▁calls▁begin｜>";
    private static final String TOOL_CALLS_END = "<｜tool▁calls▁end｜>";
    private static final String TOOL_CALL_BEGIN = "<｜tool▁call▁begin｜>";
    private static final String TOOL_CALL_END = "<｜tool▁call▁end｜>";
    private static final String TOOL_SEP = "<｜tool▁sep｜>";
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
        boolean firstCallWritten = false; // the reference's ns.is_first: set by the first call ever, never reset
        for (ChatMessage m : messages) {
            switch (m.role()) {
                case SYSTEM -> { }
                case USER -> {
                    inToolOutputs = false;
                    out.append(USER).append(m.content());
                }
                case ASSISTANT -> {
                    List<FunctionCalling.Call> calls = FunctionCalling.callLines(m.contentWithoutReasoning());
                    if (!calls.isEmpty()) {
                        inToolOutputs = false;
                        firstCallWritten = writeCalls(out, calls, firstCallWritten);
                        continue;
                    }
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

    /**
     * An assistant message of tool calls as the reference writes it: the very first call of the conversation opens
     * with {@code <｜Assistant｜><｜tool▁calls▁begin｜>}; every later call follows a newline and closes the list and
     * the turn ({@code <｜tool▁calls▁end｜><｜end▁of▁sentence｜>}). Quirks included, since the model was trained on
     * what this template writes.
     *
     * @return the updated "first call written" flag
     */
    private static boolean writeCalls(StringBuilder out, List<FunctionCalling.Call> calls, boolean firstCallWritten) {
        for (FunctionCalling.Call c : calls) {
            String call = TOOL_CALL_BEGIN + "function" + TOOL_SEP + c.name() + "\n```json\n" + c.arguments() + "\n```" + TOOL_CALL_END;
            if (!firstCallWritten) {
                out.append(ASSISTANT).append(TOOL_CALLS_BEGIN).append(call);
                firstCallWritten = true;
            } else {
                out.append('\n').append(call).append(TOOL_CALLS_END).append(END_OF_SENTENCE);
            }
        }
        return firstCallWritten;
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
