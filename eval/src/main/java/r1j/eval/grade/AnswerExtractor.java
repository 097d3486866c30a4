package r1j.eval.grade;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pulls the final answer out of a model's answer text (never its reasoning): the last {@code \boxed{}} (with the
 * boxes right before it when several give one answer together), else a phrase such as "the answer is X", else, as
 * the mode allows, the last piece of inline math or the last number.
 */
public final class AnswerExtractor {
    private AnswerExtractor() {}

    /** How far to look when there is no box. */
    public enum Mode {
        /** Box, then "the answer is" (MATH-500, AIME: the R1 protocol asks for a box). */
        MATH,
        /** Box, "the answer is", then the last number (GSM8K's convention). */
        NUMBER,
        /**
         * Everything: box, answer phrase, a short answer taken whole, the last inline math, the last number ({@code r1j
         * grade}, whose inputs may be bare answers or whole solutions).
         */
        LENIENT
    }

    private static final Pattern ANSWER_PHRASE = Pattern.compile(
            "(?i)(?:final answer is|the answer is|answer is|final answer:|answer:)\\s*(?::\\s*)?");
    private static final Pattern NUMBER = Pattern.compile(
            "-?\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|-?\\d+(?:\\.\\d+)?(?:/\\d+)?|-?\\.\\d+");
    private static final Pattern INLINE_MATH = Pattern.compile(
            "(?<!\\\\)\\$\\$(.+?)(?<!\\\\)\\$\\$|\\\\\\[(.+?)\\\\\\]|\\\\\\((.+?)\\\\\\)|(?<!\\\\)\\$(.+?)(?<!\\\\)\\$", Pattern.DOTALL);
    private static final Pattern PROSE = Pattern.compile("[A-Za-z]{2,}\\s+[A-Za-z]{2,}|[^\\x00-\\u02FF]");
    private static final Pattern COMMANDS = Pattern.compile("\\\\[a-zA-Z]+(\\{[^{}]*\\})?");

    /**
     * The answer in {@code text}, or {@code null} when the mode finds none. Text up to a closing {@code </think>}
     * is ignored, so a whole completion may be passed.
     */
    public static String extract(String text, Mode mode) {
        if (text == null) {
            return null;
        }
        int think = text.lastIndexOf("</think>");
        String answer = think >= 0 ? text.substring(think + "</think>".length()) : text;
        String boxed = Boxes.finalAnswer(answer);
        List<Boxes.Box> boxes = Boxes.all(answer);
        int afterBoxes = boxes.isEmpty() ? 0 : boxes.getLast().end();
        String phrase = afterAnswerPhrase(answer.substring(afterBoxes));
        if (phrase != null) {
            return looksLikeProse(phrase) ? fromProse(phrase) : phrase; // "The final answer is X" after the boxes
        }
        if (boxed != null) {
            return boxed.strip();
        }
        return switch (mode) {
            case MATH -> null;
            case NUMBER -> lastNumber(answer);
            case LENIENT -> {
                String s = answer.strip();
                if (!s.isEmpty() && !s.contains("$") && !s.contains("\\(") && !s.contains("\\[") && !looksLikeProse(s)) {
                    yield s; // a bare answer, however long
                }
                yield fromProse(answer);
            }
        };
    }

    /**
     * Whether the text reads as sentences rather than a formula: two words in a row outside LaTeX commands, or a
     * letter of another script (a Chinese or Arabic explanation).
     */
    static boolean looksLikeProse(String s) {
        String bare = COMMANDS.matcher(INLINE_MATH.matcher(s).replaceAll(" ")).replaceAll(" ");
        return PROSE.matcher(bare).find();
    }

    /** From prose: the last inline math or the last number outside math, whichever comes later. */
    static String fromProse(String text) {
        Matcher m = INLINE_MATH.matcher(text);
        int mathEnd = -1;
        while (m.find()) {
            if (!group(m).isBlank()) {
                mathEnd = m.end();
            }
        }
        String outside = mathEnd < 0 ? text : text.substring(mathEnd);
        String number = lastNumber(outside);
        if (number != null || mathEnd < 0) {
            return number;
        }
        String math = lastMath(text);
        return math != null && looksLikeProse(math) ? lastNumber(math) : math;
    }

    /** The text after the last "the answer is"/"final answer:" up to the end of its sentence, or {@code null}. */
    static String afterAnswerPhrase(String text) {
        Matcher m = ANSWER_PHRASE.matcher(text);
        int end = -1;
        while (m.find()) {
            end = m.end();
        }
        if (end < 0) {
            return null;
        }
        String rest = text.substring(end);
        String math = firstMathAtStart(rest);
        if (math != null) {
            return math;
        }
        int stop = rest.length();
        for (String s : new String[] {"\n", ". ", ".\n", "<|", " I hope"}) {
            int i = rest.indexOf(s);
            if (i >= 0 && i < stop) {
                stop = i;
            }
        }
        String answer = rest.substring(0, stop).strip().replaceAll("[.。]$", "").strip();
        return answer.isEmpty() ? null : answer;
    }

    /** The math that opens {@code rest} ({@code $…$} or {@code \(…\)}), or {@code null}. */
    private static String firstMathAtStart(String rest) {
        Matcher m = INLINE_MATH.matcher(rest);
        if (m.find() && rest.substring(0, m.start()).isBlank()) {
            return group(m);
        }
        return null;
    }

    /**
     * The last inline or display math, joined with the pieces right before it when only "and"/"or"/commas link
     * them ({@code $21, 16$ or $11$}); {@code null} when the text has none.
     */
    static String lastMath(String text) {
        Matcher m = INLINE_MATH.matcher(text);
        List<int[]> spans = new ArrayList<>();
        List<String> contents = new ArrayList<>();
        while (m.find()) {
            String g = group(m);
            if (!g.isBlank()) {
                spans.add(new int[] {m.start(), m.end()});
                contents.add(g.strip());
            }
        }
        if (contents.isEmpty()) {
            return null;
        }
        int first = contents.size() - 1;
        while (first > 0 && text.substring(spans.get(first - 1)[1], spans.get(first)[0])
                .replaceAll("(?i)\\b(and|or)\\b|[,\\s]", "").isEmpty()) {
            first--;
        }
        return String.join(", ", contents.subList(first, contents.size()));
    }

    /** The last number in the text, thousands separators kept ({@code 1,000.5}), or {@code null}. */
    public static String lastNumber(String text) {
        Matcher m = NUMBER.matcher(text);
        String last = null;
        while (m.find()) {
            last = m.group();
        }
        return last;
    }

    private static String group(Matcher m) {
        for (int i = 1; i <= m.groupCount(); i++) {
            if (m.group(i) != null) {
                return m.group(i);
            }
        }
        return "";
    }
}
