package r1j.eval.grade;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds {@code \boxed{…}} and {@code \fbox{…}} in model output, braces nested to any depth ({@code \boxed{\frac{1}{2}}}),
 * and the MATH solutions' short form {@code \boxed 5}.
 */
public final class Boxes {
    private Boxes() {}

    /** One box: its content and where it starts and ends in the text. */
    public record Box(String content, int start, int end) {}

    /** Every box in order of appearance; an unclosed last box is ignored (a truncated output boxed nothing). */
    public static List<Box> all(String text) {
        List<Box> boxes = new ArrayList<>();
        int from = 0;
        while (true) {
            int at = nextCommand(text, from);
            if (at < 0) {
                return boxes;
            }
            int cmdEnd = at + (text.startsWith("\\fbox", at) ? 5 : 6);
            int i = cmdEnd;
            while (i < text.length() && text.charAt(i) == ' ') {
                i++;
            }
            if (i < text.length() && text.charAt(i) == '{') {
                int close = matching(text, i);
                if (close < 0) {
                    return boxes;
                }
                boxes.add(new Box(text.substring(i + 1, close), at, close + 1));
                from = close + 1;
            } else if (i > cmdEnd && i < text.length()) {
                // "\boxed 5": the MATH dataset's shorthand, up to the next space or '$'
                int end = i;
                while (end < text.length() && " $\n".indexOf(text.charAt(end)) < 0) {
                    end++;
                }
                boxes.add(new Box(text.substring(i, end), at, end));
                from = end;
            } else {
                from = cmdEnd;
            }
        }
    }

    /** The content of the last box, or {@code null} when there is none. */
    public static String last(String text) {
        List<Box> boxes = all(text);
        return boxes.isEmpty() ? null : boxes.getLast().content();
    }

    /**
     * The answer the final boxes give together: the last box, joined by ", " with the boxes just before it when only
     * short connecting words stand between them ({@code \boxed{-2} \quad\text{and}\quad \boxed{1}}, one root per box).
     * Returns {@code null} when there is no box.
     */
    public static String finalAnswer(String text) {
        List<Box> boxes = all(text);
        if (boxes.isEmpty()) {
            return null;
        }
        int first = boxes.size() - 1;
        while (first > 0 && connects(text.substring(boxes.get(first - 1).end(), boxes.get(first).start()))) {
            first--;
        }
        List<String> parts = new ArrayList<>();
        for (int i = first; i < boxes.size(); i++) {
            parts.add(boxes.get(i).content());
        }
        return String.join(", ", parts);
    }

    /** Whether the text between two boxes only links them ("and", commas, spacing, a few symbols). */
    private static boolean connects(String between) {
        String rest = between.replaceAll("\\\\(quad|qquad|text|mathrm|textbf|[,;:! ]|\\(|\\)|\\[|\\])", " ")
                .replaceAll("[a-zA-Z](_\\{?\\w+\\}?)?\\s*=", " ") // "\\) and \\( y_2 = \\boxed{…}"
                .replaceAll("(?i)\\b(and|or|y|et|und)\\b", " ")
                .replaceAll("[\\s{},;$&+\\\\]", " ").strip(); // a period ends a sentence: it stays and disconnects
        // one stray word is allowed ("\\boxed{1} papers and \\boxed{2} bins"); a sentence is not
        return between.length() <= 60 && (rest.isEmpty() || rest.matches("[a-zA-Z]+"));
    }

    private static int nextCommand(String text, int from) {
        int b = text.indexOf("\\boxed", from);
        int f = text.indexOf("\\fbox", from);
        if (b < 0) {
            return f;
        }
        return f < 0 ? b : Math.min(b, f);
    }

    /** The index of the brace closing the one at {@code open}, or −1. Escaped braces ({@code \{}) count too. */
    static int matching(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }
}
