package r1j.eval;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import r1j.eval.grade.AnswerExtractor;
import r1j.eval.grade.Boxes;
import r1j.eval.grade.MathEquivalence;

/** The graders a benchmark file may name: {@code math}, {@code number} (GSM8K), {@code choice} (A–D), {@code exact}. */
public final class Graders {
    private Graders() {}

    /** The grader called {@code name}. @throws IllegalArgumentException for an unknown name */
    public static Grader named(String name) {
        return switch (name) {
            case "math" -> math();
            case "number" -> number();
            case "choice" -> choice();
            case "exact" -> exact();
            default -> throw new IllegalArgumentException(
                    "unknown grader '%s'; use math, number, choice or exact".formatted(name));
        };
    }

    /** MATH-500 and AIME: the boxed answer (or "the answer is"), judged by {@link MathEquivalence}. */
    public static Grader math() {
        return new Equivalence(AnswerExtractor.Mode.MATH);
    }

    /** GSM8K: as {@link #math()}, falling back to the last number of the answer. */
    public static Grader number() {
        return new Equivalence(AnswerExtractor.Mode.NUMBER);
    }

    /** Multiple choice (GPQA style): one letter A–D, boxed, stated ("the answer is (C)") or alone on the last line. */
    public static Grader choice() {
        return new Choice();
    }

    /** The boxed answer compared with the reference character for character after trimming. */
    public static Grader exact() {
        return new Exact();
    }

    private record Equivalence(AnswerExtractor.Mode mode) implements Grader {
        @Override
        public String extract(String answerText) {
            return AnswerExtractor.extract(answerText, mode);
        }

        @Override
        public boolean correct(BenchProblem problem, String extracted) {
            return extracted != null && MathEquivalence.shared().equal(problem.answer(), extracted);
        }

        @Override
        public boolean sameAnswer(String a, String b) {
            return a.equals(b) || MathEquivalence.shared().equal(a, b);
        }
    }

    private static final class Choice implements Grader {
        private static final Pattern LETTER = Pattern.compile("(?i)(?:^|[^a-z])\\(?([A-D])\\)?(?:[^a-z]|$)");

        @Override
        public String extract(String answerText) {
            String raw = AnswerExtractor.extract(answerText, AnswerExtractor.Mode.MATH);
            if (raw == null) {
                String[] lines = answerText.strip().split("\n");
                raw = lines[lines.length - 1];
            }
            Matcher m = LETTER.matcher(raw.replaceAll("\\\\text\\{([^}]*)}", "$1"));
            String letter = null;
            while (m.find()) {
                letter = m.group(1).toUpperCase(Locale.ROOT);
            }
            return letter;
        }

        @Override
        public boolean correct(BenchProblem problem, String extracted) {
            return extracted != null && extracted.equalsIgnoreCase(problem.answer().strip());
        }

        @Override
        public boolean sameAnswer(String a, String b) {
            return a.equalsIgnoreCase(b);
        }
    }

    private static final class Exact implements Grader {
        @Override
        public String extract(String answerText) {
            String boxed = Boxes.finalAnswer(answerText);
            return boxed != null ? boxed.strip() : AnswerExtractor.extract(answerText, AnswerExtractor.Mode.MATH);
        }

        @Override
        public boolean correct(BenchProblem problem, String extracted) {
            return extracted != null && extracted.strip().equals(problem.answer().strip());
        }

        @Override
        public boolean sameAnswer(String a, String b) {
            return a.strip().equals(b.strip());
        }
    }
}
