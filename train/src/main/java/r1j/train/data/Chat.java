package r1j.train.data;

import java.util.List;
import java.util.Objects;

/**
 * A conversation up to the question the model is to answer, rendered exactly as the DeepSeek-R1 chat template (the
 * one exported in every GGUF, and r1j's {@code R1ChatTemplate}) renders it with a generation prompt:
 * {@code BOS + system + (<｜User｜>question <｜Assistant｜>reply <｜end▁of▁sentence｜>)* + <｜User｜>question
 * <｜Assistant｜><think>\n}. An earlier reply is what the template keeps of an assistant message: the text after its
 * last {@code </think>} (the reasoning is dropped), so {@code The answer is \boxed{19}.}.
 *
 * @param system   the system prompt, empty for none
 * @param earlier  the earlier turns, oldest first
 * @param question the user message to answer
 */
public record Chat(String system, List<Turn> earlier, String question) {

    /** One earlier exchange: the user's message and the assistant message's content as the template keeps it. */
    public record Turn(String question, String reply) {
        public Turn {
            Objects.requireNonNull(question, "question");
            Objects.requireNonNull(reply, "reply");
        }
    }

    public Chat {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(question, "question");
        earlier = List.copyOf(earlier);
    }

    /** A single question: no system prompt, no history. */
    public static Chat of(String question) {
        return new Chat("", List.of(), question);
    }

    /** The rendered prompt the model continues (it ends inside the open thought). */
    public String prompt() {
        StringBuilder s = new StringBuilder(TinyVocab.BOS).append(system);
        for (Turn t : earlier) {
            s.append(TinyVocab.USER).append(t.question()).append(TinyVocab.ASSISTANT).append(t.reply()).append(TinyVocab.EOS);
        }
        return s.append(TinyVocab.USER).append(question).append(TinyVocab.ASSISTANT).append(TinyVocab.THINK).append('\n')
                .toString();
    }

    /** The user turns, this question included. */
    public int turns() {
        return earlier.size() + 1;
    }
}
