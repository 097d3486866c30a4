/**
 * Answer grading: extraction of the final answer from a completion's answer part
 * ({@link r1j.eval.grade.AnswerExtractor}, {@link r1j.eval.grade.Boxes}), the MATH reference grader's normalisation
 * ({@link r1j.eval.grade.MathNormalizer}), structural and numeric equivalence
 * ({@link r1j.eval.grade.MathEquivalence}) and the symbolic check on Symja under a time limit
 * ({@link r1j.eval.grade.SymjaChecker}).
 *
 * <p>May depend on the JDK and Symja only, so the trainer's verifiers may use it too.
 */
package r1j.eval.grade;
