package r1j.eval.grade;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Canonical text of one answer, as the MATH benchmark's reference grader ({@code strip_string} in hendrycks/math's
 * {@code math_equivalence.py}) writes it, extended with what model outputs commonly add: units and {@code \text{}},
 * {@code \dfrac}/{@code \tfrac}/{@code \cfrac}, {@code \left}/{@code \right}, spacing commands, degrees, percent, dollar
 * signs, thousands separators, trailing periods, {@code \fracab} and {@code \sqrt3} shorthands, {@code .5}.
 *
 * <p>Two answers whose canonical texts are equal are equivalent; the reverse needs {@link MathEquivalence}.
 */
public final class MathNormalizer {
    private MathNormalizer() {}

    private static final String ROW = "\u0002";
    private static final Pattern TEXT_UNIT = Pattern.compile("\\\\(?:text|mbox|mathrm)\\{\\s[^{}]*\\}(?:\\^\\{?[23]\\}?)?\\s*$");
    private static final Pattern TEXT_WRAP = Pattern.compile("\\\\(?:text|textbf|textit|mathrm|mathbf|mbox|textrm|operatorname|mathit)\\s*\\{([^{}]*)\\}");
    private static final Pattern NUMBER_WITH_UNIT = Pattern.compile(
            "^(-?[\\d.,]+)\\s*(?:[a-zA-Z]{1,12}(?:\\^?[23²³])?|[a-zA-Z]+\\s[a-zA-Z]+|m²|cm²|m³)$");
    private static final Pattern THOUSANDS = Pattern.compile("(?<![\\d.])([1-9]\\d{0,2})((?:,\\d{3})+)(?![\\d])");
    private static final Pattern SPACE_THOUSANDS = Pattern.compile("^-?[1-9]\\d{0,2}(?: \\d{3})+(?:\\.\\d+)?$");
    private static final Pattern TRAILING_UNIT = Pattern.compile("(?<=\\S)\\s*\\\\(?:text|textbf|mbox|mathrm)\\{\\s*[a-zA-Z ]+\\}$");

    /**
     * Repairs escape damage some datasets carry ({@code \f} of {@code \frac} stored as a form feed, {@code \t} of
     * {@code \text} as a tab, {@code \b} of {@code \begin} as a backspace, {@code \r} of {@code \right}) and turns
     * doubled backslashes before a command ({@code \\frac}) into one.
     */
    public static String repairEscapes(String s) {
        String r = s.replace("\f", "\\f").replace("\b", "\\b").replace("\u000B", "\\v")
                .replaceAll("\t(?=ext|imes|heta|an|riangle|frac)", "\\\\t")
                .replaceAll("\r(?=ight)", "\\\\r");
        // in a matrix "\\\\" ends a row and may stand before a command; elsewhere it is a doubled escape
        return r.contains("\\begin") ? r : r.replaceAll("\\\\\\\\(?=[a-zA-Z])", "\\\\");
    }

    /** The canonical text of one answer (an element of a list, not a whole list of them). */
    public static String normalize(String answer) {
        String s = repairEscapes(answer).strip();
        s = s.replace("\n", " ").replace('−', '-').replace('–', '-');
        s = stripDelimiters(s);
        s = s.replace("\\\\", ROW); // a matrix row break, kept apart from the spacing command "\ "
        s = s.replace("\\!", "").replaceAll("\\{\\s*,\\s*\\}", "");
        s = s.replaceAll("\\\\(?:[,;: ]|quad|qquad|displaystyle|textstyle)", " ");
        s = s.replaceAll("\\\\[dtc]frac", "\\\\frac");
        s = s.replaceAll("\\\\(?:left|right|big|Big|bigg|Bigg)(?![a-zA-Z])\\s*\\\\?", "")
                .replace("\\lbrace", "{").replace("\\rbrace", "}");
        s = s.replaceAll("\\^\\s*\\{?\\\\circ\\}?", "").replace("°", "").replace("\\circ", "");
        s = s.replace("\\$", "").replace("$", "");
        s = s.replaceAll("\\\\?%", "").replaceAll("(?i)\\s*percent(age)?\\b", "");
        s = TEXT_UNIT.matcher(s).replaceAll("");
        s = TRAILING_UNIT.matcher(s.strip()).replaceAll("");
        s = unwrapText(s);
        s = s.replace("\\lt", "<").replace("\\gt", ">").replace("≤", "\\le").replace("≥", "\\ge")
                .replace("<=", "\\le ").replace(">=", "\\ge ").replace("!=", "\\ne ").replace("≠", "\\ne ")
                .replaceAll("\\\\leq(?![a-zA-Z])", "\\\\le").replaceAll("\\\\geq(?![a-zA-Z])", "\\\\ge")
                .replaceAll("\\\\neq(?![a-zA-Z])", "\\\\ne").replaceAll("\\\\(?:dots|ldots|cdots)", "...");
        // relation and set symbols as single characters, so that removing spaces cannot glue them to a name
        s = s.replaceAll("\\\\le(?![a-zA-Z])", "≤").replaceAll("\\\\ge(?![a-zA-Z])", "≥")
                .replaceAll("\\\\ne(?![a-zA-Z])", "≠").replaceAll("\\\\in(?![a-zA-Z])", "∈")
                .replaceAll("\\\\cup(?![a-zA-Z])", "∪").replaceAll("\\\\pm(?![a-zA-Z])", "±")
                .replaceAll("\\\\approx(?![a-zA-Z])", "≈").replace("\\mp", "∓");
        s = s.strip().replaceAll("[.。]+$", "").replaceAll("\\\\+$", "").strip();
        Matcher unit = NUMBER_WITH_UNIT.matcher(s);
        if (unit.matches()) {
            s = unit.group(1);
        }
        s = fixSqrt(s);
        s = fixFracs(s);
        if (SPACE_THOUSANDS.matcher(s).matches()) {
            s = s.replace(" ", ""); // "1 000"
        }
        s = THOUSANDS.matcher(s).replaceAll(m -> m.group(1) + m.group(2).replace(",", ""));
        s = s.replaceAll("(\\\\[a-zA-Z]+) +(?=[a-zA-Z])", "$1\u0001").replace(" ", "").replace('\u0001', ' ');
        s = semicolonsInBrackets(s).replace(ROW, "\\\\");
        s = s.replaceAll("(?<![\\d}])\\.(\\d)", "0.$1");
        s = s.replaceAll("(^|[(\\[,{=<>≤≥])\\+", "$1"); // "+\\infty", "+5": an explicit plus sign
        s = s.replace("\\varnothing", "\\emptyset").replace("\\{\\}", "\\emptyset").replace("∅", "\\emptyset");
        s = s.replaceAll("^\\((\\w)\\)$", "$1"); // a choice "(C)"
        return s;
    }

    /** {@code (0;-2;6)} → {@code (0,-2,6)}: a semicolon inside brackets separates coordinates. */
    static String semicolonsInBrackets(String s) {
        StringBuilder b = new StringBuilder(s);
        int depth = 0;
        for (int i = 0; i < b.length(); i++) {
            char c = b.charAt(i);
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (c == ';' && depth > 0) {
                b.setCharAt(i, ',');
            }
        }
        return b.toString();
    }

    /** Drops one layer of {@code $…$}, {@code \(…\)}, {@code \[…\]} or {@code \boxed{…}} around the whole answer. */
    static String stripDelimiters(String s) {
        String prev;
        do {
            prev = s;
            s = s.strip();
            if (s.startsWith("$$") && s.endsWith("$$") && s.length() >= 4) {
                s = s.substring(2, s.length() - 2);
            } else if (s.startsWith("$") && s.endsWith("$") && s.length() >= 2) {
                s = s.substring(1, s.length() - 1);
            } else if ((s.startsWith("\\(") && s.endsWith("\\)")) || (s.startsWith("\\[") && s.endsWith("\\]"))) {
                s = s.substring(2, s.length() - 2);
            } else if (s.startsWith("\\boxed{") && Boxes.matching(s, 6) == s.length() - 1) {
                s = s.substring(7, s.length() - 1);
            }
        } while (!s.equals(prev));
        return s;
    }

    /** {@code \text{Evelyn}} → {@code Evelyn}, innermost first. */
    static String unwrapText(String s) {
        String prev;
        do {
            prev = s;
            s = TEXT_WRAP.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
        } while (!s.equals(prev));
        return s;
    }

    /** {@code \sqrt3} → {@code \sqrt{3}}. */
    static String fixSqrt(String s) {
        return s.replaceAll("\\\\sqrt\\s*([^\\s{\\[\\\\])", "\\\\sqrt{$1}");
    }

    /** {@code \frac12} → {@code \frac{1}{2}}, {@code \frac3{4}} → {@code \frac{3}{4}}, {@code \frac{3}4} likewise. */
    static String fixFracs(String s) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            int f = s.indexOf("\\frac", i);
            if (f < 0) {
                out.append(s, i, s.length());
                break;
            }
            out.append(s, i, f).append("\\frac");
            int j = f + 5;
            while (j < s.length() && s.charAt(j) == ' ') {
                j++;
            }
            for (int arg = 0; arg < 2 && j < s.length(); arg++) {
                char c = s.charAt(j);
                if (c == '{') {
                    int close = Boxes.matching(s, j);
                    if (close < 0) {
                        break;
                    }
                    out.append(s, j, close + 1);
                    j = close + 1;
                } else if (c == '\\') {
                    int k = j + 1;
                    while (k < s.length() && Character.isLetter(s.charAt(k))) {
                        k++;
                    }
                    out.append('{').append(s, j, k).append('}');
                    j = k;
                } else {
                    out.append('{').append(c).append('}');
                    j++;
                }
                while (arg == 0 && j < s.length() && s.charAt(j) == ' ') {
                    j++;
                }
            }
            i = j;
        }
        return out.toString();
    }
}
