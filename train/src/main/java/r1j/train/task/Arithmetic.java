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
            "Calculate %s + %s", "%s + %s = ?", "How much is %s plus %s?", "What is %s plus %s?", "Add %s and %s.",
            "What is the sum of %s and %s?", "%s plus %s"};
    private static final String[] SUB = {"What is %s - %s?", "%s-%s", "%s - %s", "what's %s-%s", "Compute %s minus %s.",
            "Calculate %s - %s", "%s - %s = ?", "How much is %s minus %s?", "What is %s minus %s?", "%s minus %s"};
    private static final String[] MUL = {"What is %s * %s?", "%s*%s", "%s x %s", "what's %s*%s", "Compute %s times %s.",
            "Calculate %s * %s", "%s * %s = ?", "How much is %s times %s?", "What is %s times %s?", "compute %s x %s",
            "Multiply %s by %s.", "What is %s multiplied by %s?", "%s×%s", "What is the product of %s and %s?"};

    /* Composed phrasings: a lead-in, the operator as a symbol or a word (spaced or not), an ending. */
    private static final String[] LEAD = {"", "", "What is ", "What's ", "what is ", "what's ", "Compute ", "compute ",
            "Calculate ", "calculate ", "How much is ", "how much is ", "Solve ", "Evaluate ", "Please compute ",
            "Can you compute ", "Find ", "Work out ", "Quick: ", "WHAT IS "};
    private static final String[] END = {"", "", "?", "?", ".", " = ?", "=", " =", "!", " ?", "??", " please"};
    private static final String[] ADD_OP = {"+", " + ", " plus ", " +", "+ ", " Plus "};
    private static final String[] SUB_OP = {"-", " - ", " minus ", " -", "- ", " Minus "};
    private static final String[] MUL_OP = {"*", " * ", " x ", " times ", "×", " × ", " multiplied by ", "x", " X "};

    private String[] phrasings() {
        return switch (op) {
            case '+' -> ADD;
            case '-' -> SUB;
            default -> MUL;
        };
    }

    private String[] operators() {
        return switch (op) {
            case '+' -> ADD_OP;
            case '-' -> SUB_OP;
            default -> MUL_OP;
        };
    }

    /**
     * The question as a person types it: half the time one of the fixed sentences, half a composed one (lead-in,
     * operator symbol or word, ending), a fifth of them ending in a newline as a terminal or an API client may send.
     */
    @Override
    public String question(RandomGenerator rnd) {
        String q;
        if (op == '-' && rnd.nextInt(12) == 0) {
            q = "Subtract %d from %d.".formatted(b, a);
        } else if (rnd.nextBoolean()) {
            String[] p = phrasings();
            q = p[rnd.nextInt(p.length)].formatted(a, b);
        } else {
            String[] ops = operators();
            q = LEAD[rnd.nextInt(LEAD.length)] + a + ops[rnd.nextInt(ops.length)] + b + END[rnd.nextInt(END.length)];
        }
        return rnd.nextInt(5) == 0 ? q + "\n" : q;
    }

    @Override
    public String question() { return phrasings()[0].formatted(a, b); }

    @Override
    public String trace() {
        StringBuilder t = new StringBuilder();
        switch (op) {
            case '+' -> {
                addColumns(t, a, b);
                t.append(result()).append("\ncheck: ").append(result()).append('-').append(b).append('=').append(a);
            }
            case '-' -> {
                compare(t, a, b);
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
        return List.of(
                new Segment(working, true),
                new Segment(wrong + "\n", false),
                new Segment("check: " + wrong + inverse + b + "=", true),
                new Segment(Long.toString(back), false),
                new Segment(", not " + a + "; redo\n" + working + full.substring(resultStart), true));
    }

    /*
     * Column lines keep every digit they need next to where it is used (after Lee et al. 2023, "Teaching arithmetic to
     * small transformers", detailed scratchpad): each line restates the operands' remaining digits, so the column's
     * digits are the ones just before the operator and the colon, and carries the answer digits found so far, so the
     * result is read off the last line. A tiny model learns such local lookups far faster than "the i-th digit".
     *
     *   347+589:7+9=16,6
     *   34+58 c1:4+8+1=13,36
     *   3+5 c1:3+5+1=9,936
     *
     * Operands are written as the question wrote them, never zero-padded: each line drops the last digit of the line
     * above, and an operand with no digits left is written 0 ({@code 12+7:2+7=9,9} / {@code 1+0:1+0=1,19}); the
     * lines end after the one whose operands both have one digit. Padding the shorter operand up front needed the
     * difference of the two lengths, a count the model got wrong ({@code 12+7} → {@code 12+77:…}); dropping one digit
     * of the line above is the same step on every line.
     */

    /** Addition columns of x + y, the operands as written. */
    static void addColumns(StringBuilder t, long x, long y) {
        addColumns(t, Long.toString(x), Long.toString(y));
    }

    /** Addition columns of the digit strings xs + ys (kept as given: the partial sums of × keep their leading zeros). */
    static void addColumns(StringBuilder t, String xs, String ys) {
        int n = Math.max(xs.length(), ys.length());
        String acc = "";
        int carry = 0;
        for (int i = 0; i < n; i++) {
            String xi = drop(xs, i), yi = drop(ys, i);
            int dx = lastDigit(xi), dy = lastDigit(yi);
            int sum = dx + dy + carry;
            t.append(xi).append('+').append(yi);
            if (carry > 0) {
                t.append(" c").append(carry);
            }
            t.append(':').append(dx).append('+').append(dy);
            if (carry > 0) {
                t.append('+').append(carry);
            }
            acc = (i == n - 1 ? Integer.toString(sum) : Integer.toString(sum % 10)) + acc;
            t.append('=').append(sum).append(',').append(acc).append('\n');
            carry = sum / 10;
        }
    }

    /**
     * Which operand is larger, one digit pair a line from the right, as the columns go: each line compares the last
     * digits and writes the verdict so far, which a differing pair sets and an equal pair keeps (the leftmost
     * difference decides); an operand with no digits left is 0, so a longer number wins without counting digits.
     * Then the order: {@code 254<789, so -(789-254)} or {@code 789>254}.
     *
     *   254 vs 789:4<9 <
     *   25 vs 78:5<8 <
     *   2 vs 7:2<7 <
     */
    static void compare(StringBuilder t, long x, long y) {
        String xs = Long.toString(x), ys = Long.toString(y);
        int n = Math.max(xs.length(), ys.length());
        char verdict = '=';
        for (int i = 0; i < n; i++) {
            String xi = drop(xs, i), yi = drop(ys, i);
            int dx = lastDigit(xi), dy = lastDigit(yi);
            char c = dx < dy ? '<' : dx > dy ? '>' : '=';
            verdict = c == '=' ? verdict : c;
            t.append(xi).append(" vs ").append(yi).append(':').append(dx).append(c).append(dy).append(' ').append(verdict).append('\n');
        }
        if (x < y) {
            t.append(x).append('<').append(y).append(", so -(").append(y).append('-').append(x).append(")\n");
        } else {
            t.append(x).append(x > y ? '>' : '=').append(y).append('\n');
        }
    }

    /**
     * Subtraction columns of big - small, the operands as written. Each line restates the remaining digits and the
     * borrow owed ({@code b0} or {@code b1}, always written so every line has the same shape), subtracts, and only
     * when that goes below zero borrows ten and subtracts again: {@code 852-115 b0:2-0-5<0:12-0-5=7,7}. The decision
     * to borrow comes after the three digits it depends on are written next to each other.
     */
    static void subColumns(StringBuilder t, long big, long small) {
        String xs = Long.toString(big), ys = Long.toString(small), acc = "";
        int n = xs.length();
        int borrow = 0;
        for (int i = 0; i < n; i++) {
            String xi = drop(xs, i), yi = drop(ys, i);
            int x = lastDigit(xi), y = lastDigit(yi);
            int r = x - borrow - y;
            t.append(xi).append('-').append(yi).append(" b").append(borrow).append(':')
                    .append(x).append('-').append(borrow).append('-').append(y);
            if (r < 0) {
                t.append("<0:1").append(x).append('-').append(borrow).append('-').append(y);
                r += 10;
            }
            acc = r + acc;
            t.append('=').append(r).append(',').append(acc).append('\n');
            borrow = x - borrow - y < 0 ? 1 : 0;
        }
    }

    /** The digit string s without its last {@code i} digits, or "0" when none are left. */
    private static String drop(String s, int i) {
        return i < s.length() ? s.substring(0, s.length() - i) : "0";
    }

    private static int lastDigit(String s) {
        return s.charAt(s.length() - 1) - '0';
    }

    /**
     * First the split of b into its digits' terms ({@code 347*12=347*2+347*10}), so the digit each block multiplies
     * by is written just before it; then per digit the partial product in column lines, the digit product written
     * before its carry is added ({@code 4*2=8+1=9}: two small lookups instead of one large one). Every partial has
     * one width (a digits + 1, so a leading 0 when the last carry is 0) and is padded to the width of the sum. The
     * partial found so far rides along at the end of each later line ({@code +00694}) and is written next to the new
     * shifted partial ({@code =03470+00694}), so the columns that add them copy both from the line just above:
     * trained with the first partial only far above, the model's multiplication errors were almost all a misread
     * leading digit of it.
     */
    private void mulColumns(StringBuilder t) {
        String as = Long.toString(a), bs = Long.toString(b);
        int n = as.length(), m = bs.length();
        int width = n + m; // the widest partial: a digits + 1, shifted m - 1 places
        if (m > 1) {
            t.append(a).append('*').append(b).append('=');
            for (int j = 0; j < m; j++) {
                t.append(j == 0 ? "" : "+").append(a).append('*').append(bs.charAt(m - 1 - j)).append("0".repeat(j));
            }
            t.append('\n');
        }
        String running = null; // the sum of the partials so far, at the full width
        for (int j = 0; j < m; j++) {
            int d = bs.charAt(m - 1 - j) - '0';
            int carry = 0;
            String acc = "";
            for (int i = 0; i < n; i++) {
                int da = as.charAt(n - 1 - i) - '0';
                int p = da * d + carry;
                t.append(as, 0, n - i).append('*').append(d);
                if (carry > 0) {
                    t.append(" c").append(carry);
                }
                t.append(':').append(da).append('*').append(d).append('=').append(da * d);
                if (carry > 0) {
                    t.append('+').append(carry).append('=').append(p);
                }
                acc = (i == n - 1 ? "%02d".formatted(p) : Integer.toString(p % 10)) + acc;
                t.append(',').append(acc);
                if (running != null) {
                    t.append(" +").append(running);
                }
                t.append('\n');
                carry = p / 10;
            }
            if (m == 1) {
                break;
            }
            String partial = pad(Long.parseLong(acc) * pow10(j), width);
            t.append('=').append(partial);
            if (running == null) {
                running = partial;
                t.append('\n');
            } else {
                t.append('+').append(running).append('\n');
                addColumns(t, partial, running);
                running = pad(Long.parseLong(partial) + Long.parseLong(running), width);
            }
        }
    }

    private static String pad(long x, int n) {
        return "0".repeat(n - Long.toString(x).length()) + x;
    }

    private static long pow10(int j) {
        long p = 1;
        for (int i = 0; i < j; i++) {
            p *= 10;
        }
        return p;
    }
}
