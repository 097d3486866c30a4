package r1j.chat;

import java.util.Objects;

/** A piece of generated text, classified by the {@link ReasoningParser} as part of the thought or of the answer. */
public sealed interface ReasoningEvent {

    /** The text of this piece, never empty. */
    String text();

    /** Text inside {@code <think>…</think>}: the DeepSeek API's {@code reasoning_content}. */
    record Reasoning(String text) implements ReasoningEvent {
        public Reasoning {
            Objects.requireNonNull(text, "text");
        }
    }

    /** Text after the thought: the message {@code content}. */
    record Answer(String text) implements ReasoningEvent {
        public Answer {
            Objects.requireNonNull(text, "text");
        }
    }
}
