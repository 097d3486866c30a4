package r1j.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * The countdown check: an answer is right when it uses exactly the reference expression's numbers (each once, any
 * order) with {@code + - * /} and parentheses and has the same value, computed with exact fractions. The reference
 * answer is one solution, so numbers and target are read from it.
 */
final class Countdown implements Grader {

    /** An exact value and the numbers written in the expression. */
    record Value(long num, long den, List<Long> numbers) {}

    @Override
    public String extract(String answerText) {
        return Graders.exact().extract(answerText);
    }

    @Override
    public boolean correct(BenchProblem problem, String extracted) {
        if (extracted == null) {
            return false;
        }
        try {
            Value want = evaluate(problem.answer());
            Value got = evaluate(extracted);
            List<Long> a = new ArrayList<>(want.numbers()), b = new ArrayList<>(got.numbers());
            a.sort(null);
            b.sort(null);
            return a.equals(b) && got.num() * want.den() == want.num() * got.den();
        } catch (IllegalArgumentException | ArithmeticException e) {
            return false;
        }
    }

    @Override
    public boolean sameAnswer(String a, String b) {
        return a.replace(" ", "").equals(b.replace(" ", ""));
    }

    /** Evaluates an expression of non-negative integers, {@code + - * /} and parentheses, exactly. */
    static Value evaluate(String text) {
        Parser p = new Parser(text.replace(" ", "").replace("\\times", "*").replace("\\cdot", "*").replace("\\div", "/")
                .replace("×", "*").replace("÷", "/"));
        Value v = p.sum();
        if (p.at != p.s.length()) {
            throw new IllegalArgumentException("unexpected '%s' at %d in %s".formatted(p.s.charAt(p.at), p.at, text));
        }
        return v;
    }

    private static final class Parser {
        final String s;
        int at;
        final List<Long> numbers = new ArrayList<>();

        Parser(String s) {
            this.s = s;
        }

        Value sum() {
            Value v = product();
            while (at < s.length() && (s.charAt(at) == '+' || s.charAt(at) == '-')) {
                char op = s.charAt(at++);
                Value r = product();
                v = op == '+' ? make(v.num() * r.den() + r.num() * v.den(), v.den() * r.den())
                        : make(v.num() * r.den() - r.num() * v.den(), v.den() * r.den());
            }
            return v;
        }

        Value product() {
            Value v = atom();
            while (at < s.length() && (s.charAt(at) == '*' || s.charAt(at) == '/')) {
                char op = s.charAt(at++);
                Value r = atom();
                if (op == '/' && r.num() == 0) {
                    throw new ArithmeticException("division by zero");
                }
                v = op == '*' ? make(v.num() * r.num(), v.den() * r.den()) : make(v.num() * r.den(), v.den() * r.num());
            }
            return v;
        }

        Value atom() {
            if (at < s.length() && s.charAt(at) == '(') {
                at++;
                Value v = sum();
                if (at >= s.length() || s.charAt(at) != ')') {
                    throw new IllegalArgumentException("unclosed parenthesis in " + s);
                }
                at++;
                return v;
            }
            int start = at;
            while (at < s.length() && Character.isDigit(s.charAt(at))) {
                at++;
            }
            if (start == at) {
                throw new IllegalArgumentException("expected a number at %d in %s".formatted(at, s));
            }
            long n = Long.parseLong(s.substring(start, at));
            numbers.add(n);
            return make(n, 1);
        }

        Value make(long num, long den) {
            if (den < 0) {
                num = -num;
                den = -den;
            }
            long g = gcd(Math.abs(num), den);
            return new Value(num / Math.max(g, 1), den / Math.max(g, 1), numbers);
        }

        private static long gcd(long a, long b) {
            return b == 0 ? a : gcd(b, a % b);
        }
    }
}
