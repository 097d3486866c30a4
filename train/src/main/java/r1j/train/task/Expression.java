package r1j.train.task;

import java.util.ArrayList;
import java.util.List;

/**
 * Exact evaluation of a Countdown answer: integers, {@code + - * / × ÷}, parentheses, as a reduced fraction; also
 * returns the numbers it used so the verifier can check each was used once.
 */
final class Expression {
    private final String s;
    private final List<Long> numbers = new ArrayList<>();
    private int i;

    record Result(long num, long den, List<Long> numbers) {}

    private Expression(String s) {
        this.s = s.replace(" ", "").replace('×', '*').replace('÷', '/').replace("\\times", "*").replace("\\div", "/");
    }

    /** @throws IllegalArgumentException when the text is not a well-formed expression or divides by zero */
    static Result evaluate(String text) {
        Expression e = new Expression(text);
        long[] v = e.sum();
        if (e.i != e.s.length()) {
            throw new IllegalArgumentException("unexpected '" + e.s.substring(e.i) + "'");
        }
        return new Result(v[0], v[1], e.numbers);
    }

    private long[] sum() {
        long[] v = product();
        while (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            char op = s.charAt(i++);
            long[] w = product();
            v = reduce(v[0] * w[1] + (op == '+' ? 1 : -1) * w[0] * v[1], v[1] * w[1]);
        }
        return v;
    }

    private long[] product() {
        long[] v = atom();
        while (i < s.length() && (s.charAt(i) == '*' || s.charAt(i) == '/')) {
            char op = s.charAt(i++);
            long[] w = atom();
            if (op == '/' && w[0] == 0) {
                throw new IllegalArgumentException("division by zero");
            }
            v = op == '*' ? reduce(v[0] * w[0], v[1] * w[1]) : reduce(v[0] * w[1], v[1] * w[0]);
        }
        return v;
    }

    private long[] atom() {
        if (i < s.length() && s.charAt(i) == '(') {
            i++;
            long[] v = sum();
            if (i >= s.length() || s.charAt(i) != ')') {
                throw new IllegalArgumentException("missing )");
            }
            i++;
            return v;
        }
        int start = i;
        while (i < s.length() && Character.isDigit(s.charAt(i)) && i - start < 9) {
            i++;
        }
        if (start == i) {
            throw new IllegalArgumentException("expected a number at " + start);
        }
        long n = Long.parseLong(s.substring(start, i));
        numbers.add(n);
        return new long[] {n, 1};
    }

    private static long[] reduce(long num, long den) {
        if (den < 0) {
            num = -num;
            den = -den;
        }
        long g = gcd(Math.abs(num), den);
        return g == 0 ? new long[] {num, den} : new long[] {num / g, den / g};
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
