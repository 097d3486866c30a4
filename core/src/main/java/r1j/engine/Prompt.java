package r1j.engine;

import java.util.List;
import r1j.chat.ChatMessage;

/** What a request continues: a conversation (rendered with the model's chat template), raw text, or token ids. */
public sealed interface Prompt {

    /**
     * A conversation, rendered with the engine's chat template and its generation prompt (for R1 models ending in
     * {@code <｜Assistant｜><think>\n}).
     */
    record Chat(List<ChatMessage> messages) implements Prompt {
        public Chat {
            messages = List.copyOf(messages);
            if (messages.isEmpty()) {
                throw new IllegalArgumentException("a chat prompt needs at least one message");
            }
        }
    }

    /**
     * Raw text, tokenized with special tokens parsed; BOS is prepended when the vocabulary asks for it and the text
     * does not already start with it.
     */
    record Text(String text) implements Prompt {
        public Text {
            java.util.Objects.requireNonNull(text, "text");
        }
    }

    /** Token ids fed as they are (nothing is added). */
    record Tokens(int[] ids) implements Prompt {
        public Tokens {
            ids = ids.clone();
            if (ids.length == 0) {
                throw new IllegalArgumentException("a token prompt needs at least one token");
            }
        }
    }

    static Prompt chat(List<ChatMessage> messages) {
        return new Chat(messages);
    }

    static Prompt text(String text) {
        return new Text(text);
    }

    static Prompt tokens(int... ids) {
        return new Tokens(ids);
    }
}
