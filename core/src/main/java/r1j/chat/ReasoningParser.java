package r1j.chat;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Splits a stream of generated text into reasoning and answer, as the pieces arrive.
 *
 * <p>R1 models write {@code <think>\nthought\n</think>\n\nanswer}. The R1 templates already end the prompt with
 * {@code <think>\n}, so the output then starts inside the thought and only {@code </think>} appears
 * ({@code startsInReasoning = true}, see {@link ChatTemplate#endsInReasoning(String)}). Otherwise a {@code <think>}
 * at the very start of the output opens the thought (it and one following newline are dropped), and output that does
 * not start with it is all answer.
 *
 * <p>Rules, following the DeepSeek API's {@code reasoning_content}/{@code content} split:
 * <ul>
 *   <li>Tags are never emitted as text. A tag may be split across pieces ({@code "</th"} + {@code "ink>"}): a
 *       possible tag prefix at the end of a piece is held back until the next piece decides it.</li>
 *   <li>Newlines right before {@code </think>} are dropped from the reasoning, and newlines right after it from the
 *       answer; newlines that turn out to be inside the text are emitted once the next text shows it.</li>
 *   <li>A thought that never closes is all reasoning; {@link #finish()} flushes whatever is held back.</li>
 * </ul>
 * Not thread-safe: one parser per generated sequence, fed from one thread.
 */
public final class ReasoningParser {

    static final String OPEN = "<think>";
    static final String CLOSE = "</think>";

    private enum State { START, OPENED, REASONING, AFTER_CLOSE, ANSWER, FINISHED }

    private final Consumer<? super ReasoningEvent> sink;
    private final StringBuilder pending = new StringBuilder();
    private final StringBuilder reasoning = new StringBuilder();
    private final StringBuilder answer = new StringBuilder();
    private State state;

    /**
     * @param startsInReasoning whether the prompt left the model inside an open thought (it ends in {@code <think>})
     * @param sink              receives the events, in order, on the calling thread
     */
    public ReasoningParser(boolean startsInReasoning, Consumer<? super ReasoningEvent> sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.state = startsInReasoning ? State.REASONING : State.START;
    }

    /**
     * A parser for the output that continues {@code prompt}: it starts inside the thought when the prompt opens one
     * ({@link ChatTemplate#endsInReasoning(String)}).
     */
    public static ReasoningParser forPrompt(String prompt, Consumer<? super ReasoningEvent> sink) {
        return new ReasoningParser(ChatTemplate.endsInReasoning(prompt), sink);
    }

    /**
     * Feeds the next piece of decoded text; emits the events it completes.
     *
     * @throws IllegalStateException after {@link #finish()}
     */
    public void accept(String piece) {
        if (state == State.FINISHED) {
            throw new IllegalStateException("accept() after finish(): create a new ReasoningParser per generation");
        }
        pending.append(piece);
        boolean progressed = true;
        while (progressed && !pending.isEmpty()) {
            progressed = switch (state) {
                case START -> stepStart();
                case OPENED -> stepOpened();
                case REASONING -> stepReasoning();
                case AFTER_CLOSE -> stepAfterClose();
                case ANSWER -> stepAnswer();
                case FINISHED -> throw new AssertionError("unreachable");
            };
        }
    }

    /** Ends the stream: emits whatever was held back (an unfinished tag prefix is plain text then). Idempotent. */
    public void finish() {
        switch (state) {
            case START, ANSWER -> emitAnswer(pending.toString());
            case REASONING -> emitReasoning(pending.toString());
            case OPENED, AFTER_CLOSE, FINISHED -> { }
        }
        pending.setLength(0);
        state = State.FINISHED;
    }

    /**
     * Whether the text seen so far leaves the model inside the thought (also true right after an opening
     * {@code <think>}, and while a held-back piece may still turn out to be {@code </think>}).
     */
    public boolean inReasoning() {
        return state == State.OPENED || state == State.REASONING;
    }

    /** All reasoning emitted so far, without tags. */
    public String reasoning() {
        return reasoning.toString();
    }

    /** All answer text emitted so far. */
    public String answer() {
        return answer.toString();
    }

    // Each step consumes what it can decide from `pending` and returns whether the state machine moved on.

    private boolean stepStart() {
        int n = Math.min(pending.length(), OPEN.length());
        if (!OPEN.startsWith(pending.substring(0, n))) {
            state = State.ANSWER;
            return true;
        }
        if (pending.length() < OPEN.length()) {
            return false;
        }
        pending.delete(0, OPEN.length());
        state = State.OPENED;
        return true;
    }

    private boolean stepOpened() {
        if (pending.charAt(0) == '\n') {
            pending.deleteCharAt(0);
        }
        state = State.REASONING;
        return true;
    }

    private boolean stepReasoning() {
        int close = pending.indexOf(CLOSE);
        if (close >= 0) {
            emitReasoning(stripTrailingNewlines(pending.substring(0, close)));
            pending.delete(0, close + CLOSE.length());
            state = State.AFTER_CLOSE;
            return true;
        }
        int keep = heldBackStart(pending);
        emitReasoning(pending.substring(0, keep));
        pending.delete(0, keep);
        return false;
    }

    private boolean stepAfterClose() {
        int i = 0;
        while (i < pending.length() && isNewline(pending.charAt(i))) {
            i++;
        }
        pending.delete(0, i);
        if (pending.isEmpty()) {
            return false;
        }
        state = State.ANSWER;
        return true;
    }

    private boolean stepAnswer() {
        emitAnswer(pending.toString());
        pending.setLength(0);
        return false;
    }

    /**
     * Where the part of a reasoning buffer that cannot be emitted yet begins: a suffix that may be the start of
     * {@code </think>}, together with the newlines just before it (dropped if the tag follows).
     */
    static int heldBackStart(CharSequence text) {
        int len = text.length();
        int tagPrefix = 0;
        for (int k = Math.min(len, CLOSE.length() - 1); k > 0 && tagPrefix == 0; k--) {
            if (endsWithPrefixOfClose(text, k)) {
                tagPrefix = k;
            }
        }
        int start = len - tagPrefix;
        while (start > 0 && isNewline(text.charAt(start - 1))) {
            start--;
        }
        return start;
    }

    /** Whether the last {@code k} characters of {@code text} are the first {@code k} of {@code </think>}. */
    private static boolean endsWithPrefixOfClose(CharSequence text, int k) {
        int base = text.length() - k;
        for (int i = 0; i < k; i++) {
            if (text.charAt(base + i) != CLOSE.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static String stripTrailingNewlines(String s) {
        int end = s.length();
        while (end > 0 && isNewline(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }

    private static boolean isNewline(char c) {
        return c == '\n' || c == '\r';
    }

    private void emitReasoning(String text) {
        if (!text.isEmpty()) {
            reasoning.append(text);
            sink.accept(new ReasoningEvent.Reasoning(text));
        }
    }

    private void emitAnswer(String text) {
        if (!text.isEmpty()) {
            answer.append(text);
            sink.accept(new ReasoningEvent.Answer(text));
        }
    }
}
