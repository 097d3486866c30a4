package r1j.eval.grade;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The shape of one normalised answer: a single expression, a bracketed sequence (tuple or interval, with its
 * brackets), a set, a bare list ({@code -2, 1}: the roots of an equation, order free), a union of intervals, or a
 * matrix. {@link #parse} reads it from {@link MathNormalizer#normalize normalised} text.
 */
sealed interface Answer {

    /** One expression, relation or word, as normalised LaTeX. */
    record Scalar(String tex) implements Answer {}

    /** {@code (a, b)}, {@code [a, b)}: order and brackets matter. */
    record Sequence(char open, char close, List<Answer> items) implements Answer {}

    /** {@code \{a, b\}}: order does not matter. */
    record SetOf(List<Answer> items) implements Answer {}

    /** {@code a, b, c} without brackets: solutions listed, order does not matter. */
    record Bare(List<Answer> items) implements Answer {}

    /** {@code A \cup B}. */
    record Union(List<Answer> parts) implements Answer {}

    /** {@code \begin{pmatrix}…\end{pmatrix}} and its bmatrix/array/vmatrix cousins, row by row. */
    record Matrix(List<List<Answer>> rows) implements Answer {}

    Pattern MATRIX = Pattern.compile("^[(\\[]?\\\\begin\\{([pbvBV]?matrix|array)\\}(?:\\{[^}]*\\})?(.*)\\\\end\\{\\1\\}[)\\]]?$");
    /** A left side that only names what follows: {@code x}, {@code a_{37}}, {@code f(x)}, {@code (p,q)}, {@code V_1:V_2}. */
    Pattern NAME = Pattern.compile("^[a-zA-Z\\\\(){},:'|]+$");

    /** The structure of normalised answer text. */
    static Answer parse(String s) {
        s = s.strip();
        var matrix = MATRIX.matcher(s);
        if (matrix.matches()) {
            List<List<Answer>> rows = new ArrayList<>();
            for (String row : matrix.group(2).split("\\\\\\\\")) {
                if (!row.isBlank()) {
                    rows.add(splitTop(row, '&').stream().map(Answer::parse).toList());
                }
            }
            return new Matrix(rows);
        }
        List<String> groups = splitTop(s, ';');
        if (groups.size() > 1) {
            return new Bare(groups.stream().map(g -> groupAsTuple(g)).toList());
        }
        List<String> union = splitTopOn(s, "∪");
        if (union.size() > 1) {
            return new Union(union.stream().map(Answer::parse).toList());
        }
        List<String> items = splitTop(s, ',');
        if (items.size() > 1) {
            return new Bare(items.stream().map(Answer::parse).toList());
        }
        String named = dropName(s);
        if (!named.equals(s) && !named.isEmpty() && "([{\\".indexOf(named.charAt(0)) >= 0) {
            s = named; // "(x, y) = (5, 8)", "x \\in [0, 1)": the structure on the right; a plain value stays a relation
        }
        if (s.startsWith("\\{") && s.endsWith("\\}") && closesAtEnd(s, 1)) {
            return new SetOf(splitTop(s.substring(2, s.length() - 2), ',').stream().map(Answer::parse).toList());
        }
        if (s.startsWith("{") && s.endsWith("}") && closesAtEnd(s, 0)) {
            return new SetOf(splitTop(s.substring(1, s.length() - 1), ',').stream().map(Answer::parse).toList());
        }
        if (s.length() >= 2 && "([".indexOf(s.charAt(0)) >= 0 && ")]".indexOf(s.charAt(s.length() - 1)) >= 0
                && closesAtEnd(s, 0)) {
            List<String> inner = splitTop(s.substring(1, s.length() - 1), ',');
            if (inner.size() > 1) {
                return new Sequence(s.charAt(0), s.charAt(s.length() - 1), inner.stream().map(Answer::parse).toList());
            }
        }
        Answer chain = chainAsInterval(s);
        return chain != null ? chain : new Scalar(s);
    }

    /** {@code p=5,q=2} (one solution of a system) as the tuple {@code (5, 2)}; anything else parsed as it is. */
    private static Answer groupAsTuple(String g) {
        List<String> parts = splitTop(g, ',');
        if (parts.size() > 1 && parts.stream().allMatch(p -> p.contains("="))) {
            return new Sequence('(', ')', parts.stream().map(Answer::parse).toList());
        }
        return parse(g);
    }

    /** {@code x=3} → {@code 3}, {@code x\in[0,1]} → {@code [0,1]}, {@code 1=y=x=0} → {@code 0}. */
    static String dropName(String s) {
        List<String> sides = splitTopOn(s, "=");
        if (sides.size() >= 3 || (sides.size() == 2 && isName(sides.get(0)))) {
            s = sides.getLast();
        }
        List<String> in = splitTopOn(s, "∈");
        if (in.size() == 2 && isName(in.get(0))) {
            s = in.get(1);
        }
        return s;
    }

    static boolean isName(String lhs) {
        String t = lhs.replaceAll("_\\{[^{}]*\\}|_\\w", "").replace("\\frac", "");
        return !t.isEmpty() && NAME.matcher(t).matches() && !t.matches(".*\\\\(pi|infty|sqrt).*");
    }

    /** {@code a<x<b} or {@code a\le x\le b} with a name in the middle, as the interval it states; else {@code null}. */
    private static Answer chainAsInterval(String s) {
        var m = Pattern.compile("^(.+?)([<≤])(.+?)([<≤])(.+)$").matcher(s);
        if (m.matches() && isName(m.group(3)) && !m.group(1).matches(".*[<≤].*") && !m.group(5).matches(".*[<≤].*")) {
            return new Sequence(m.group(2).equals("<") ? '(' : '[', m.group(4).equals("<") ? ')' : ']',
                    List.of(parse(m.group(1)), parse(m.group(5))));
        }
        return null;
    }

    private static boolean closesAtEnd(String s, int openAt) {
        int depth = 0;
        for (int i = openAt; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
                if (depth == 0 && i < s.length() - 1 - (s.endsWith("\\}") && openAt == 1 ? 1 : 0)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Splits at {@code sep} outside brackets. An interval's closing bracket may differ from its opening one
     * ({@code [0,1)}), so depth counts any opening against any closing bracket.
     */
    static List<String> splitTop(String s, char sep) {
        List<String> parts = new ArrayList<>();
        int depth = 0, start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (c == sep && depth == 0 && (i == 0 || s.charAt(i - 1) != '\\')) {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(s.substring(start));
        parts.removeIf(String::isBlank);
        return parts.isEmpty() ? List.of(s) : parts;
    }

    /** Splits at a multi-character token ({@code \cup}, {@code =}, {@code \in}) outside brackets. */
    static List<String> splitTopOn(String s, String token) {
        List<String> parts = new ArrayList<>();
        int depth = 0, start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (depth == 0 && s.startsWith(token, i)
                    && !(token.startsWith("\\") && i + token.length() < s.length()
                         && Character.isLetter(s.charAt(i + token.length())))) {
                parts.add(s.substring(start, i));
                start = i + token.length();
                i += token.length() - 1;
            }
        }
        parts.add(s.substring(start));
        return parts;
    }
}
