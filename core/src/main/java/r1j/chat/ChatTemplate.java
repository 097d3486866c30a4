package r1j.chat;

import java.util.List;

/**
 * Turns a conversation into the prompt text a model was trained on.
 *
 * <p>Every implementation drops the reasoning of earlier assistant turns (see
 * {@link ChatMessage#contentWithoutReasoning()}) and never renders {@link ChatMessage#reasoningContent()}.
 * The returned text contains special tokens as text (for example {@code <｜begin▁of▁sentence｜>}); tokenize it with
 * special-token parsing on and without adding another BOS when the text already starts with one.
 *
 * <p>Implementations are immutable and safe to share between threads (one template per loaded model).
 */
public interface ChatTemplate {

    /**
     * Renders the conversation.
     *
     * @param messages            the conversation so far, oldest first
     * @param addGenerationPrompt whether to append the assistant prefix the model continues from (for R1 models
     *                            {@code <｜Assistant｜><think>\n}, so generation starts inside the thought)
     * @return the prompt text
     * @throws ChatTemplateException when the template cannot render these messages
     */
    String render(List<ChatMessage> messages, boolean addGenerationPrompt);

    /**
     * The template for a model file.
     *
     * @param jinjaOrNull the file's {@code tokenizer.chat_template}, or {@code null}/blank to use the built-in
     *                    DeepSeek-R1 format
     * @param bosToken    the text of the BOS token ({@code bos_token} in Jinja), may be empty
     * @param eosToken    the text of the EOS token ({@code eos_token} in Jinja), may be empty; the built-in R1 format
     *                    writes its {@code <｜end▁of▁sentence｜>} literally, as the reference template does
     * @throws ChatTemplateException when the Jinja text does not parse
     */
    static ChatTemplate of(String jinjaOrNull, String bosToken, String eosToken) {
        if (jinjaOrNull == null || jinjaOrNull.isBlank()) {
            return new R1ChatTemplate(bosToken);
        }
        return new JinjaChatTemplate(jinjaOrNull, bosToken, eosToken);
    }

    /**
     * Whether a rendered prompt leaves the model inside an open thought: its last {@code <think>} comes after its
     * last {@code </think>}, as in a prompt ending {@code <｜Assistant｜><think>\n}. Construct the
     * {@link ReasoningParser} with this value.
     */
    static boolean endsInReasoning(String prompt) {
        int open = prompt.lastIndexOf("<think>");
        return open >= 0 && open > prompt.lastIndexOf("</think>");
    }
}
