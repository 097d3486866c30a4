package r1j.train.data;

/**
 * Renders conversations the way the DeepSeek-R1 chat template does: {@code <｜begin▁of▁sentence｜><｜User｜>question
 * <｜Assistant｜><think>\n} is the generation prompt; the assistant continues with its reasoning, {@code </think>},
 * the answer, and {@code <｜end▁of▁sentence｜>}.
 */
public final class R1Format {
    private R1Format() {}

    /** The generation prompt for one user message (what the template gives with add_generation_prompt). */
    public static String prompt(String question) {
        return TinyVocab.BOS + TinyVocab.USER + question + TinyVocab.ASSISTANT + TinyVocab.THINK + "\n";
    }

    /** The assistant's continuation: reasoning, close tag, answer sentence, end of sentence. */
    public static String completion(String reasoning, String answer) {
        return reasoning + TinyVocab.END_THINK + "\n\nThe answer is \\boxed{" + answer + "}." + TinyVocab.EOS;
    }

    /** Tokenises prompt + completion, learning only the completion. */
    public static Example example(TinyVocab vocab, String question, String reasoning, String answer) {
        return example(vocab, prompt(question), completion(reasoning, answer));
    }

    /**
     * What follows {@code </think>\n\n} for this problem: {@code The answer is \boxed{…}.}, or the plain reply of
     * a problem without a boxed answer. It is also what the chat template keeps of the turn in a later prompt.
     */
    public static String reply(r1j.train.task.Problem p) {
        return p.boxes() ? "The answer is \\boxed{" + p.answer() + "}." : p.answer();
    }

    /** The assistant's continuation for a problem: its reasoning, the close tag, {@link #reply}, end of sentence. */
    public static String completion(r1j.train.task.Problem p, String reasoning) {
        return reasoning + TinyVocab.END_THINK + "\n\n" + reply(p) + TinyVocab.EOS;
    }

    /**
     * Tokenises a prompt and a reasoning trace made of segments (learned or shown only), then the answer; segment
     * boundaries fall on pre-tokenizer boundaries (line and digit edges), so the ids equal those of the whole text.
     */
    public static Example example(TinyVocab vocab, String question, java.util.List<r1j.train.task.Segment> reasoning,
                                  String answer) {
        return fromSegments(vocab, prompt(question), reasoning, completion("", answer));
    }

    /**
     * Tokenises a rendered prompt, a reasoning trace made of segments (learned or shown only) and the rest of the
     * completion ({@code </think>}, the reply, end of sentence), learning the learned segments and the rest.
     */
    public static Example fromSegments(TinyVocab vocab, String promptText, java.util.List<r1j.train.task.Segment> reasoning,
                                       String rest) {
        int[] prompt = vocab.encode(promptText);
        java.util.List<int[]> parts = new java.util.ArrayList<>();
        java.util.List<Boolean> learn = new java.util.ArrayList<>();
        for (r1j.train.task.Segment s : reasoning) {
            parts.add(vocab.encode(s.text()));
            learn.add(s.learn());
        }
        parts.add(vocab.encode(rest));
        learn.add(true);
        int n = prompt.length + parts.stream().mapToInt(a -> a.length).sum();
        int[] ids = new int[n], targets = new int[n];
        java.util.Arrays.fill(targets, -1);
        System.arraycopy(prompt, 0, ids, 0, prompt.length);
        int at = prompt.length;
        for (int i = 0; i < parts.size(); i++) {
            int[] part = parts.get(i);
            System.arraycopy(part, 0, ids, at, part.length);
            if (learn.get(i)) {
                for (int j = 0; j < part.length; j++) {
                    targets[at + j - 1] = ids[at + j]; // position at+j-1 predicts token at+j
                }
            }
            at += part.length;
        }
        return new Example(ids, targets);
    }

    /** Tokenises prompt + completion text, learning only the completion. */
    public static Example example(TinyVocab vocab, String promptText, String completionText) {
        int[] p = vocab.encode(promptText), c = vocab.encode(completionText);
        int n = p.length + c.length;
        int[] ids = new int[n], targets = new int[n];
        System.arraycopy(p, 0, ids, 0, p.length);
        System.arraycopy(c, 0, ids, p.length, c.length);
        for (int i = 0; i < n - 1; i++) {
            targets[i] = i + 1 >= p.length ? ids[i + 1] : -1;
        }
        targets[n - 1] = -1;
        return new Example(ids, targets);
    }
}
