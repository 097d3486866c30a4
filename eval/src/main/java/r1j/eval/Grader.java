package r1j.eval;

/**
 * How a benchmark reads and scores an answer: extraction from the answer part (never the reasoning), the verdict,
 * and which answers count as the same vote for cons@k.
 */
public interface Grader {

    /** The final answer in a completion's answer text, or {@code null} when it gives none. */
    String extract(String answerText);

    /** Whether an extracted answer solves the problem. */
    boolean correct(BenchProblem problem, String extracted);

    /** Whether two extracted answers are the same answer (they vote together for cons@k). */
    boolean sameAnswer(String a, String b);
}
