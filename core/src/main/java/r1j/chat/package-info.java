/**
 * Chat: message records, chat templates that turn a conversation into prompt text (the GGUF file's own Jinja
 * template via jinjava, or the hand-written DeepSeek-R1 format), the streaming {@link r1j.chat.ReasoningParser} that
 * splits generated text into reasoning and answer, and the {@link r1j.chat.ThinkingBudget} state machine.
 *
 * <p>Contract shared by every template: the reasoning of earlier assistant turns never reaches the prompt (the R1
 * templates keep only {@code content.split('</think>')[-1]}; the DeepSeek API ignores {@code reasoning_content} of
 * earlier messages).
 *
 * <p>May depend on the JDK, jinjava and {@code r1j.tokenizer}; nothing in the engine, model or server.
 */
package r1j.chat;
