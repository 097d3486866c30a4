package r1j.eval.grade;

import java.math.BigDecimal;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Decides whether a predicted answer equals the reference: first the MATH reference grader's normalisation
 * ({@link MathNormalizer}), then structure (tuples and intervals in order with their brackets, sets and bare lists in
 * any order, unions, matrices, {@code x = 3} against {@code 3}, {@code a \le x \le b} against {@code [a, b]},
 * {@code \pm}), then numbers (exact decimals, {@code a/b}, thousands and decimal commas, a rounded decimal answer),
 * then a symbolic check with Symja ({@link SymjaChecker}) for everything else: radicals, π, expressions, equations and
 * inequalities up to a constant factor.
 *
 * <p>Roles matter: {@code gold} is the reference, {@code pred} the answer graded (a rounded prediction such as
 * {@code 0.33} for {@code 1/3} is accepted, a rounded reference is not an excuse for a wrong prediction).
 */
public final class MathEquivalence {
    private static final Pattern PLAIN_NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?|-?\\d+/\\d+");
    private static final Pattern SIMPLE_FRAC = Pattern.compile("^(-?)\\\\frac\\{(-?\\d+)\\}\\{(\\d+)\\}$");
    private static final Pattern WORD = Pattern.compile("[a-zA-Z][a-zA-Z ]*");
    private static final Pattern CONNECTIVE = Pattern.compile(
            "\\\\text\\{\\s*(?:and|or)\\s*\\}|(?<=[\\s}$)])(?:and|or)(?=[\\s\\\\{$(])|\\\\quad|\\\\qquad");

    private final SymjaChecker cas;

    /** Equivalence backed by the given symbolic checker. */
    public MathEquivalence(SymjaChecker cas) {
        this.cas = cas;
    }

    /** Equivalence backed by the process-wide checker. */
    public static MathEquivalence shared() {
        return Holder.SHARED;
    }

    private static final class Holder {
        static final MathEquivalence SHARED = new MathEquivalence(SymjaChecker.shared());
    }

    /** Whether {@code pred} answers what {@code gold} states; both are extracted answers, not whole solutions. */
    public boolean equal(String gold, String pred) {
        if (gold == null || pred == null) {
            return false;
        }
        String g = canonical(gold), p = canonical(pred);
        if (g.equals(p)) {
            return true;
        }
        if (g.isEmpty() || p.isEmpty()) {
            return false;
        }
        if (same(Answer.parse(g), Answer.parse(p))) {
            return true;
        }
        // "25\\%" against 0.25: a percentage may be given as the fraction it stands for, either way round
        return percentOf(gold, g) instanceof String gf && sameScalar(gf, p)
                || percentOf(pred, p) instanceof String pf && sameScalar(g, pf);
    }

    /** {@code 25%} → {@code 0.25} when the raw answer is a percentage of a plain number, else {@code null}. */
    private static String percentOf(String raw, String canonical) {
        if (!raw.contains("%") && !raw.toLowerCase(java.util.Locale.ROOT).contains("percent")) {
            return null;
        }
        BigDecimal v = plain(canonical);
        return v == null ? null : v.movePointLeft(2).toPlainString();
    }

    /** Normalised text, with "and"/"or"/{@code \quad} between listed answers read as commas. */
    static String canonical(String answer) {
        String s = MathNormalizer.repairEscapes(answer).replaceAll(",\\\\!\\s*", ",");
        s = CONNECTIVE.matcher(" " + s + " ").replaceAll(",").strip();
        s = MathNormalizer.normalize(s).replaceAll(",+", ",").replaceAll("^,|,$", "");
        int approx = s.indexOf('≈');
        if (approx > 0) {
            String left = s.substring(0, approx);
            s = Answer.isName(left) ? s.substring(approx + 1) : left;
        }
        return s;
    }

    private boolean same(Answer g, Answer p) {
        g = unwrap(g);
        p = unwrap(p);
        return switch (g) {
            case Answer.Scalar gs -> switch (p) {
                case Answer.Scalar ps -> sameScalar(gs.tex(), ps.tex());
                case Answer.Bare pb -> plusMinus(gs.tex()) instanceof Answer.Bare gb && sameUnordered(gb.items(), pb.items())
                        || decimalComma(pb, gs.tex(), true);
                case Answer.SetOf ps -> plusMinus(gs.tex()) instanceof Answer.Bare gb && sameUnordered(gb.items(), ps.items());
                case Answer.Sequence pq -> asInterval(gs.tex()) instanceof Answer.Sequence gq && same(gq, pq);
                default -> false;
            };
            case Answer.Sequence gq -> switch (p) {
                case Answer.Scalar ps -> asInterval(ps.tex()) instanceof Answer.Sequence pq && same(gq, pq);
                case Answer.Sequence pq -> gq.open() == pq.open() && gq.close() == pq.close() && sameOrdered(gq.items(), pq.items());
                case Answer.SetOf ps -> sameOrdered(gq.items(), ps.items());
                case Answer.Bare pb -> sameOrdered(gq.items(), pb.items());
                case Answer.Matrix pm -> vector(pm) != null && sameOrdered(gq.items(), vector(pm));
                default -> false;
            };
            case Answer.SetOf gs -> switch (p) {
                case Answer.SetOf ps -> sameUnordered(gs.items(), ps.items());
                case Answer.Bare pb -> sameUnordered(gs.items(), pb.items());
                case Answer.Sequence pq -> sameOrdered(gs.items(), pq.items());
                case Answer.Scalar ps -> plusMinus(ps.tex()) instanceof Answer.Bare pb && sameUnordered(gs.items(), pb.items());
                default -> false;
            };
            case Answer.Bare gb -> switch (p) {
                case Answer.Bare pb -> sameUnordered(gb.items(), pb.items());
                case Answer.SetOf ps -> sameUnordered(gb.items(), ps.items());
                case Answer.Sequence pq -> sameOrdered(gb.items(), pq.items());
                case Answer.Scalar ps -> plusMinus(ps.tex()) instanceof Answer.Bare pb && sameUnordered(gb.items(), pb.items())
                        || decimalComma(gb, ps.tex(), false);
                default -> false;
            };
            case Answer.Union gu -> p instanceof Answer.Union pu && sameUnordered(gu.parts(), pu.parts());
            case Answer.Matrix gm -> switch (p) {
                case Answer.Matrix pm -> sameMatrix(gm, pm);
                case Answer.Sequence pq -> vector(gm) != null && sameOrdered(vector(gm), pq.items());
                case Answer.Bare pb -> vector(gm) != null && sameOrdered(vector(gm), pb.items());
                default -> false;
            };
        };
    }

    /** A one-element list or set is its element; a matrix with one column given as a tuple stays a matrix. */
    private static Answer unwrap(Answer a) {
        return switch (a) {
            case Answer.Bare b when b.items().size() == 1 -> unwrap(b.items().getFirst());
            default -> a;
        };
    }

    /** {@code x < 3} as {@code (-\infty, 3)}, {@code x \ge 2} as {@code [2, \infty)}; else {@code null}. */
    private static Answer asInterval(String tex) {
        Relation r = Relation.of(tex);
        if (r == null || r.op().equals("=") || r.op().equals("≠")) {
            return null;
        }
        boolean strict = r.op().equals("<");
        if (Answer.isName(r.left()) && !Answer.isName(r.right())) { // x < b
            return new Answer.Sequence('(', strict ? ')' : ']', List.of(new Answer.Scalar("-\\infty"), new Answer.Scalar(r.right())));
        }
        if (Answer.isName(r.right()) && !Answer.isName(r.left())) { // a < x
            return new Answer.Sequence(strict ? '(' : '[', ')', List.of(new Answer.Scalar(r.left()), new Answer.Scalar("\\infty")));
        }
        return null;
    }

    /** {@code a \pm b} as the list {@code a+b, a-b}; anything else as it is. */
    private static Answer plusMinus(String tex) {
        int at = tex.indexOf('±');
        if (at < 0 || tex.indexOf('±', at + 1) >= 0) {
            return new Answer.Scalar(tex);
        }
        String a = tex.substring(0, at), b = tex.substring(at + 1);
        String plus = a.isEmpty() ? b : a + "+" + b;
        String minus = a + "-(" + b + ")";
        return new Answer.Bare(List.of(new Answer.Scalar(plus), new Answer.Scalar(a.isEmpty() ? "-" + b : minus)));
    }

    /** {@code 1000,99} or {@code 1,22}: two digit groups split at a comma, read as one decimal number. */
    private boolean decimalComma(Answer.Bare list, String number, boolean listIsPred) {
        if (list.items().size() != 2 || !(list.items().get(0) instanceof Answer.Scalar(String whole))
                || !(list.items().get(1) instanceof Answer.Scalar(String frac))
                || !whole.matches("-?\\d+") || !frac.matches("\\d+")) {
            return false;
        }
        String joined = whole + "." + frac;
        return listIsPred ? sameScalar(number, joined) : sameScalar(joined, number);
    }

    private boolean sameOrdered(List<Answer> g, List<Answer> p) {
        if (g.size() != p.size()) {
            return false;
        }
        for (int i = 0; i < g.size(); i++) {
            if (!same(g.get(i), p.get(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The same items in any order, as sets: every reference item is among the predicted ones and every predicted item
     * among the reference ones (a solution listed twice is still one solution).
     */
    private boolean sameUnordered(List<Answer> g, List<Answer> p) {
        boolean[] used = new boolean[p.size()];
        for (Answer a : g) {
            boolean found = false;
            for (int i = 0; i < p.size(); i++) {
                if (same(a, p.get(i))) {
                    used[i] = found = true;
                }
            }
            if (!found) {
                return false;
            }
        }
        for (boolean u : used) {
            if (!u) {
                return false;
            }
        }
        return true;
    }

    /** The entries of a one-column or one-row matrix (a vector, which may also be written as a tuple), else null. */
    private static List<Answer> vector(Answer.Matrix m) {
        if (m.rows().size() == 1) {
            return m.rows().getFirst();
        }
        if (m.rows().stream().allMatch(r -> r.size() == 1)) {
            return m.rows().stream().map(List::getFirst).toList();
        }
        return null;
    }

    private boolean sameMatrix(Answer.Matrix g, Answer.Matrix p) {
        if (g.rows().size() != p.rows().size()) {
            return false;
        }
        for (int i = 0; i < g.rows().size(); i++) {
            if (!sameOrdered(g.rows().get(i), p.rows().get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Two single expressions, relations or words. */
    boolean sameScalar(String g, String p) {
        if (g.equals(p)) {
            return true;
        }
        Relation gr0 = Relation.of(g), pr0 = Relation.of(p);
        if (gr0 != null && pr0 != null && sameRelation(gr0, pr0)) {
            return true;
        }
        g = Answer.dropName(g);
        p = Answer.dropName(p);
        if (gr0 == null && p.contains("=")) {
            p = Answer.splitTopOn(p, "=").getLast(); // "x = 5+5+1 = 11": the last side is the answer
        }
        if (g.equals(p)) {
            return true;
        }
        if (WORD.matcher(g).matches() && WORD.matcher(p).matches()) {
            return g.equalsIgnoreCase(p); // text answers: "Evelyn", "odd", a choice letter
        }
        Relation gr = Relation.of(g), pr = Relation.of(p);
        if (gr != null || pr != null) {
            return gr != null && pr != null && sameRelation(gr, pr);
        }
        Boolean numeric = sameNumber(g, p);
        if (numeric != null) {
            return numeric;
        }
        if (p.matches("-?\\d*\\.\\d{2,}")) {
            Double gv = cas.value(g);
            if (gv != null && roundsTo(gv, p)) {
                return true;
            }
        }
        return Boolean.TRUE.equals(cas.sameValue(g, p));
    }

    /** Both plain numbers: exact comparison (with the rounding rule); else {@code null}. */
    private static Boolean sameNumber(String g, String p) {
        BigDecimal gv = plain(g), pv = plain(p);
        if (gv == null || pv == null) {
            return null;
        }
        if (gv.compareTo(pv) == 0) {
            return true;
        }
        double diff = Math.abs(gv.doubleValue() - pv.doubleValue());
        if (diff <= SymjaChecker.RELATIVE_TOLERANCE * Math.max(1, Math.max(Math.abs(gv.doubleValue()), Math.abs(pv.doubleValue())))) {
            return true;
        }
        return p.matches("-?\\d*\\.\\d{2,}") && roundsTo(gv.doubleValue(), p);
    }

    /** Whether {@code decimal} (with d ≥ 2 decimals) is {@code value} rounded to d decimals. */
    private static boolean roundsTo(double value, String decimal) {
        int d = decimal.length() - decimal.indexOf('.') - 1;
        return Math.abs(value - Double.parseDouble(decimal)) <= 0.5 * Math.pow(10, -d) + 1e-12;
    }

    private static BigDecimal plain(String s) {
        s = SIMPLE_FRAC.matcher(s).replaceAll("$1$2/$3").replace("--", ""); // \\frac{10}{9} -> 10/9
        if (!PLAIN_NUMBER.matcher(s).matches()) {
            return null;
        }
        int slash = s.indexOf('/');
        if (slash < 0) {
            return new BigDecimal(s);
        }
        BigDecimal den = new BigDecimal(s.substring(slash + 1));
        if (den.signum() == 0) {
            return null;
        }
        return new BigDecimal(s.substring(0, slash)).divide(den, java.math.MathContext.DECIMAL64);
    }

    private boolean sameRelation(Relation g, Relation p) {
        if (!g.op().equals(p.op())) {
            return false;
        }
        if (g.left().equals(p.left()) && sameScalar(g.right(), p.right())) {
            return true;
        }
        String gd = "(" + g.right() + ")-(" + g.left() + ")", pd = "(" + p.right() + ")-(" + p.left() + ")";
        return Boolean.TRUE.equals(cas.constantRatio(gd, pd, !g.op().equals("=") && !g.op().equals("≠")));
    }

    /**
     * {@code left op right} with op one of {@code =}, {@code <}, {@code \le}, {@code \ne}; {@code >} and {@code \ge}
     * are turned around so that {@code 5 \ge x} and {@code x \le 5} read the same.
     */
    record Relation(String left, String op, String right) {
        static Relation of(String s) {
            String[][] ops = {{"≤", "≤", "l"}, {"≥", "≤", "r"}, {"≠", "≠", "l"}, {"<", "<", "l"},
                    {">", "<", "r"}, {"=", "=", "l"}};
            for (String[] op : ops) {
                List<String> sides = Answer.splitTopOn(s, op[0]);
                if (sides.size() == 2 && !sides.get(0).isEmpty() && !sides.get(1).isEmpty()) {
                    return op[2].equals("l") ? new Relation(sides.get(0), op[1], sides.get(1))
                            : new Relation(sides.get(1), op[1], sides.get(0));
                }
            }
            return null;
        }
    }
}
