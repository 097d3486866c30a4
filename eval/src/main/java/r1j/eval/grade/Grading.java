package r1j.eval.grade;

/**
 * {@code r1j grade}'s rule for one {@code {"gold", "pred"}} pair: extract an answer from each side (a bare answer,
 * or the boxed / stated / last answer of a whole solution, see {@link AnswerExtractor.Mode#LENIENT}), then compare
 * them with {@link MathEquivalence}.
 */
public final class Grading {
    private final MathEquivalence equivalence;

    public Grading(MathEquivalence equivalence) {
        this.equivalence = equivalence;
    }

    /** Whether {@code pred} gives the answer {@code gold} states. */
    public boolean equal(String gold, String pred) {
        String g = AnswerExtractor.extract(gold, AnswerExtractor.Mode.LENIENT);
        String p = AnswerExtractor.extract(pred, AnswerExtractor.Mode.LENIENT);
        if (g == null || p == null) {
            return false;
        }
        return equivalence.equal(g, p);
    }
}
