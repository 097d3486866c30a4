package r1j.eval;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A set of problems with its grader and prompt rule.
 *
 * @param name          what reports call it ({@code math500}, {@code aime24}, a file name)
 * @param problems      in dataset order
 * @param grader        extraction and verdict
 * @param r1Instruction whether the prompt is the problem followed by {@link #INSTRUCTION} (the R1 paper's protocol);
 *                      false for the tiny-R1 tasks, which the built-in model was trained to answer as asked
 */
public record Benchmark(String name, List<BenchProblem> problems, Grader grader, boolean r1Instruction) {

    /** The R1 paper's instruction for math problems, put after the problem in the user turn (no system prompt). */
    public static final String INSTRUCTION = "Please reason step by step, and put your final answer within \\boxed{}.";

    public Benchmark {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(grader, "grader");
        problems = List.copyOf(problems);
        Set<String> ids = new java.util.HashSet<>();
        for (BenchProblem p : problems) {
            if (!ids.add(p.id())) {
                throw new IllegalArgumentException("benchmark %s has problem id '%s' twice; ids must be unique".formatted(name, p.id()));
            }
        }
    }

    /** The user message for a problem. */
    public String prompt(BenchProblem p) {
        return r1Instruction ? p.problem() + "\n" + INSTRUCTION : p.problem();
    }

    /**
     * The problems whose level or subject is named in {@code subset} (comma separated: {@code 1}, {@code 1,2},
     * {@code algebra}, {@code "number theory,5"}); levels and subjects given together must both match.
     *
     * @throws IllegalArgumentException when a name is neither a level nor a subject of this benchmark
     */
    public Benchmark subset(String subset) {
        Set<Integer> levels = new LinkedHashSet<>();
        Set<String> subjects = new LinkedHashSet<>();
        Set<String> known = new java.util.TreeSet<>();
        problems.forEach(p -> known.add(p.subject().toLowerCase(Locale.ROOT)));
        for (String part : subset.split(",")) {
            String t = part.strip().toLowerCase(Locale.ROOT);
            if (t.isEmpty()) {
                continue;
            }
            if (t.matches("(level\\s*)?\\d+")) {
                levels.add(Integer.parseInt(t.replaceAll("\\D", "")));
            } else if (known.contains(t)) {
                subjects.add(t);
            } else {
                throw new IllegalArgumentException("--subset '%s' is neither a level nor a subject of %s; subjects: %s"
                        .formatted(part.strip(), name, known.isEmpty() || known.equals(Set.of("")) ? "none" : String.join(", ", known)));
            }
        }
        List<BenchProblem> kept = new ArrayList<>();
        for (BenchProblem p : problems) {
            if ((levels.isEmpty() || levels.contains(p.level()))
                    && (subjects.isEmpty() || subjects.contains(p.subject().toLowerCase(Locale.ROOT)))) {
                kept.add(p);
            }
        }
        if (kept.isEmpty()) {
            throw new IllegalArgumentException("--subset '%s' selects no problem of %s".formatted(subset, name));
        }
        return new Benchmark(name, kept, grader, r1Instruction);
    }

    /** The first {@code n} problems. */
    public Benchmark limit(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("--limit %d must be at least 1".formatted(n));
        }
        return new Benchmark(name, problems.subList(0, Math.min(n, problems.size())), grader, r1Instruction);
    }
}
