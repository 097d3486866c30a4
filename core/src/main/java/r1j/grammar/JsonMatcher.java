package r1j.grammar;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import r1j.grammar.Frame.Stack;
import r1j.grammar.Frame.StringFrame;

/**
 * How far an output has got through a {@link Grammar}: the set of stacks of open values that the bytes so far
 * allow (more than one only while an {@code anyOf} is undecided). Immutable: {@link #advance} returns the successor,
 * so the token masker can branch from one state into every token that shares a prefix.
 */
public final class JsonMatcher {

    private final List<Stack> stacks;

    private JsonMatcher(List<Stack> stacks) {
        this.stacks = stacks;
    }

    /** The state before the first byte of a value of {@code grammar}. */
    public static JsonMatcher start(Grammar grammar) {
        return new JsonMatcher(List.of(new Stack(new Frame.ExpectValue(grammar.root), null)));
    }

    /** The state after byte {@code b} (0–255), or {@code null} when the grammar does not allow it here. */
    public JsonMatcher advance(int b) {
        List<Stack> next = step(stacks, b);
        return next.isEmpty() ? null : new JsonMatcher(next);
    }

    /** The state after {@code bytes}, or {@code null} when the grammar rejects one of them. */
    public JsonMatcher advance(byte[] bytes) {
        List<Stack> s = stacks;
        for (byte b : bytes) {
            s = step(s, b & 0xFF);
            if (s.isEmpty()) {
                return null;
            }
        }
        return new JsonMatcher(s);
    }

    /** Whether {@code bytes}, from the start of the grammar, are one complete value. */
    public static boolean accepts(Grammar grammar, byte[] bytes) {
        JsonMatcher m = start(grammar).advance(bytes);
        return m != null && m.isComplete();
    }

    /** Whether the bytes so far form a complete value (the output may end here). */
    public boolean isComplete() {
        for (Stack s : stacks) {
            if (s.parent() == null && s.top().canClose()) {
                return true;
            }
        }
        return false;
    }

    /** Whether some byte may still follow. */
    public boolean canContinue() {
        for (Stack s : stacks) {
            if (s.top() != Frame.Done.INSTANCE) {
                return true;
            }
        }
        return false;
    }

    /**
     * Inside a string's plain content (not in an escape) with room for {@code maxChars[due]} more characters: the
     * UTF-8 continuation bytes {@code due} (0–3), so every token that is plain content from that point is allowed
     * without walking its bytes; −1 otherwise.
     */
    int plainContentState(int[] maxChars) {
        if (stacks.size() == 1 && stacks.getFirst().top() instanceof StringFrame f) {
            int due = f.continuationDue();
            if (due >= 0 && f.acceptsPlainRun(due, maxChars[due])) {
                return due;
            }
        }
        return -1;
    }

    List<Stack> stacks() {
        return stacks;
    }

    static List<Stack> step(List<Stack> stacks, int b) {
        if (stacks.size() == 1) {
            Stack s = stacks.getFirst();
            List<Stack> out = new ArrayList<>(2);
            s.top().feed(b, s, out);
            return out;
        }
        List<Stack> out = new ArrayList<>(stacks.size() + 1);
        for (Stack s : stacks) {
            s.top().feed(b, s, out);
        }
        return out.size() > 1 ? List.copyOf(new LinkedHashSet<>(out)) : out;
    }

    @Override
    public String toString() {
        return "JsonMatcher" + stacks;
    }
}
