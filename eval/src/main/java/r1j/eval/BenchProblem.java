package r1j.eval;

import java.util.Objects;

/**
 * One benchmark question.
 *
 * @param id      stable id, the key a resumed run matches samples by ({@code 2024-I-1}, {@code test/algebra/1.json})
 * @param problem the question as the dataset states it (LaTeX/markdown)
 * @param answer  the reference answer (for arithmetic and countdown, the task key the verifier checks against)
 * @param level   MATH difficulty 1–5, or 0 when the dataset has none
 * @param subject MATH subject, or "" when the dataset has none
 */
public record BenchProblem(String id, String problem, String answer, int level, String subject) {
    public BenchProblem {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(answer, "answer");
        Objects.requireNonNull(subject, "subject");
        if (level < 0) {
            throw new IllegalArgumentException("level %d of problem %s must not be negative".formatted(level, id));
        }
    }
}
