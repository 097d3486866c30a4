package r1j.train.task;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * {@code a op b} for non-negative integers, with a column-arithmetic trace: one line per column (carry or borrow
 * written out), the result, then a self-check by the inverse operation.
 *
 * @param op {@code +}, {@code -} or {@code *}
 */
public record Arithmetic(char op, long a, long b) implements Problem {

    public Arithmetic {
        if (a < 0 || b < 0 || "+-*".indexOf(op) < 0) {
            throw new IllegalArgumentException("need non-negative operands and + - *: " + a + op + b);
        }
    }

    public long result() {
        return switch (op) {
            case '+' -> a + b;
            case '-' -> a - b;
            default -> a * b;
        };
    }

    @Override
    public String key() { return family() + ":" + a + ":" + b; }

    @Override
    public String family() {
        return switch (op) {
            case '+' -> "add";
            case '-' -> "sub";
            default -> "mul";
        };
    }

    @Override
    public String answer() { return Long.toString(result()); }

    @Override
    public boolean accepts(String boxed) {
        String s = boxed.replace(" ", "").replace(",", "");
        return s.equals(answer());
    }

    private static final String[] ADD = {"What is %s + %s?", "%s+%s", "%s + %s", "what's %s+%s", "Compute %s plus %s.",
            "Calculate %s + %s", "%s + %s = ?", "How much is %s plus %s?", "What is %s plus %s?", "Add %s and %s."};
    private static final String[] SUB = {"What is %s - %s?", "%s-%s", "%s - %s", "what's %s-%s", "Compute %s minus %s.",
            "Calculate %s - %s", "%s - %s = ?", "How much is %s minus %s?", "What is %s minus %s?", "%s minus %s"};
    private static final String[] MUL = {"What is %s * %s?", "%s*%s", "%s x %s", "what's %s*%s", "Compute %s times %s.",
            "Calculate %s * %s", "%s * %s = ?", "How much is %s times %s?", "What is %s times %s?", "compute %s x %s",
            "Multiply %s by %s.", "What is %s multiplied by %s?", "%s×%s"};

    private String[] phrasings() {
        return switch (op) {
            case '+' -> ADD;
            case '-' -> SUB;
            default -> MUL;
        };
    }

    @Override
    public String question(RandomGenerator rnd) {
        if (op == '-' && rnd.nextInt(12) == 0) {
            return "Subtract %d from %d.".formatted(b, a);
        }
        String[] p = phrasings();
        return p[rnd.nextInt(p.length)].formatted(a, b);
    }

    @Override
    public String question() { return phrasings()[0].formatted(a, b); }

    @Override
    public String trace() {
        StringBuilder t = new StringBuilder().append(a).append(op).append(b).append('\n');
        switch (op) {
            case '+' -> {
                addColumns(t, a, b);
                t.append(result()).append("\ncheck: ").append(result()).append('-').append(b).append('=').append(a);
            }
            case '-' -> {
                if (a < b) {
                    t.append(a).append('<').append(b).append(", so -(").append(b).append('-').append(a).append(")\n");
                }
                subColumns(t, Math.max(a, b), Math.min(a, b));
                t.append(result()).append("\ncheck: ").append(result()).append('+').append(b).append('=').append(a);
            }
            default -> {
                mulColumns(t);
                t.append(result()).append("\ncheck: ").append(result()).append('/').append(b).append('=').append(a);
            }
        }
        return t.append('\n').toString();
    }

    /**
     * A trace with a slip and its repair (R1's "wait, let me redo"): the working, a wrong result (one digit off, not
     * learned), the self-check exposing it, {@code redo}, the working again and the right result and check. Only
     * for addition and subtraction.
     */
    public List<Segment> traceWithSlip(java.util.random.RandomGenerator rnd) {
        if (op == '*') {
            throw new IllegalArgumentException("slip traces are for + and -");
        }
        String full = trace();
        int resultAt = full.lastIndexOf("\ncheck: ");
        int resultStart = full.lastIndexOf('\n', resultAt - 1) + 1;
        String working = full.substring(0, resultStart);
        String digitsOnly = Long.toString(Math.abs(result()));
        int pos = rnd.nextInt(digitsOnly.length());
        char wrongDigit = (char) ('0' + (digitsOnly.charAt(pos) - '0' + 1 + rnd.nextInt(8)) % 10);
        String wrongAbs = digitsOnly.substring(0, pos) + wrongDigit + digitsOnly.substring(pos + 1);
        long wrong = (result() < 0 ? -1 : 1) * Long.parseLong(wrongAbs);
        if (wrong == result() || (wrongAbs.length() > 1 && wrongAbs.charAt(0) == '0')) {
            return List.of(new Segment(full, true));
        }
        long back = op == '+' ? wrong - b : wrong + b; // what the check computes from the slip
        String inverse = op == '+' ? "-" : "+";
        String repeatedWorking = working.substring(working.indexOf('\n') + 1);
        return List.of(
                new Segment(working, true),
                new Segment(wrong + "\n", false),
                new Segment("check: " + wrong + inverse + b + "=", true),
                new Segment(Long.toString(back), false),
                new Segment(", not " + a + "; redo\n" + repeatedWorking + full.substring(resultStart), true));
    }

    private static int[] digits(long x) { // least significant first
        String s = Long.toString(x);
        int[] d = new int[s.length()];
        for (int i = 0; i < d.length; i++) {
            d[i] = s.charAt(s.length() - 1 - i) - '0';
        }
        return d;
    }

    private static int at(int[] d, int i) { return i < d.length ? d[i] : 0; }

    /** {@code 7+9=16}, {@code 4+8+1=13}, ...: one line per column, carry added explicitly. */
    static void addColumns(StringBuilder t, long x, long y) {
        int[] dx = digits(x), dy = digits(y);
        int carry = 0;
        for (int i = 0; i < Math.max(dx.length, dy.length); i++) {
            int s = at(dx, i) + at(dy, i) + carry;
            t.append(at(dx, i)).append('+').append(at(dy, i));
            if (carry > 0) {
                t.append('+').append(carry);
            }
            t.append('=').append(s).append('\n');
            carry = s / 10;
        }
    }

    /** {@code 13-7=6} (borrowed ten), then {@code 5-1-2=2} (paying the borrow back): one line per column. */
    static void subColumns(StringBuilder t, long big, long small) {
        int[] dx = digits(big), dy = digits(small);
        int borrow = 0;
        for (int i = 0; i < dx.length; i++) {
            int x = dx[i], y = at(dy, i);
            int r = x - borrow - y;
            int next = r < 0 ? 1 : 0;
            if (next == 1) {
                t.append('1');
            }
            t.append(x);
            if (borrow > 0) {
                t.append("-1");
            }
            t.append('-').append(y).append('=').append(r + 10 * next).append('\n');
            borrow = next;
        }
    }

    /** Per digit of b: the partial product column by column, then the partials summed column by column. */
    private void mulColumns(StringBuilder t) {
        int[] da = digits(a), db = digits(b);
        List<Long> partials = new ArrayList<>();
        for (int j = 0; j < db.length; j++) {
            int carry = 0;
            for (int i = 0; i < da.length; i++) {
                int p = da[i] * db[j] + carry;
                t.append(da[i]).append('*').append(db[j]);
                if (carry > 0) {
                    t.append('+').append(carry);
                }
                t.append('=').append(p).append('\n');
                carry = p / 10;
            }
            long partial = a * db[j] * pow10(j);
            partials.add(partial);
            t.append('=').append(partial).append('\n');
        }
        long sum = partials.getFirst();
        for (int j = 1; j < partials.size(); j++) {
            t.append(sum).append('+').append(partials.get(j)).append('\n');
            addColumns(t, sum, partials.get(j));
            sum += partials.get(j);
        }
    }

    private static long pow10(int j) {
        long p = 1;
        for (int i = 0; i < j; i++) {
            p *= 10;
        }
        return p;
    }
}
