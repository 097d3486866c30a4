package r1j.train.task;

import java.util.random.RandomGenerator;

/** One task instance: how a person might ask it, how R1 would reason about it, and the exact answer check. */
public sealed interface Problem permits Arithmetic, Countdown, OffTopic {

    /** A short stable key ({@code add:347:589}) used for the train/test split and for logs. */
    String key();

    /** The task family: {@code add}, {@code sub}, {@code mul} or {@code countdown}. */
    String family();

    /** The question, phrased one of several ways people type it ({@code What is 347 + 589?}, {@code 347+589}). */
    String question(RandomGenerator rnd);

    /** The canonical question (first phrasing), used for evaluation. */
    String question();

    /** The reasoning inside {@code <think>…</think>} (ends with a newline). */
    String trace();

    /** What goes in {@code \boxed{}}. */
    String answer();

    /** True when {@code boxed} (the content of the last {@code \boxed{}}) answers this problem. */
    boolean accepts(String boxed);

    /** True when the answer part (what follows {@code </think>}) answers this problem: by default its last box. */
    default boolean answeredBy(String answerPart) {
        String boxed = Verifier.lastBoxed(answerPart);
        return boxed != null && accepts(boxed);
    }

    /** Whether the answer is a {@code \boxed{}} one (the R1 format's answer check); false for a plain reply. */
    default boolean boxes() { return true; }
}
