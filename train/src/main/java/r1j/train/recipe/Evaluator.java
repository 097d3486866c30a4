package r1j.train.recipe;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import r1j.train.data.Chat;
import r1j.train.data.TinyVocab;
import r1j.train.nn.Params;
import r1j.train.task.Problem;
import r1j.train.task.Verifier;

/**
 * Held-out accuracy: greedy (one answer per problem) or sampled pass@1 averaged over k samples, with a 95% Wilson
 * interval. Questions are asked in a phrasing drawn per problem from a seeded generator, not only the training form.
 */
public final class Evaluator {
    private Evaluator() {}

    /**
     * @param correct  problems answered right (for pass@1 over k: the sum of per-problem success rates)
     * @param total    problems
     * @param formatOk completions in the {@code <think>…</think>} + {@code \boxed{}} format
     * @param meanTokens mean completion length in tokens
     */
    public record Score(double correct, int total, int formatOk, double meanTokens) {
        public double accuracy() { return total == 0 ? 0 : correct / total; }

        /** 95% Wilson score interval half-width (normal approximation at z = 1.96). */
        public double[] wilson95() {
            double z = 1.96, n = total, p = accuracy();
            double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
            double half = z * Math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n);
            return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
        }

        @Override
        public String toString() {
            double[] ci = wilson95();
            return "%.1f%% [%.1f, %.1f] (%d problems, format %d/%d, %.0f tokens)"
                    .formatted(100 * accuracy(), 100 * ci[0], 100 * ci[1], total, formatOk, total, meanTokens);
        }
    }

    /** {@link #evaluate(Params, TinyVocab, List, int, float, int, RandomGenerator, int)} on one thread per core. */
    public static Score evaluate(Params params, TinyVocab vocab, List<Problem> problems, int k, float temperature,
                                 int maxTokens, RandomGenerator rnd) {
        return evaluate(params, vocab, problems, k, temperature, maxTokens, rnd, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Samples {@code k} completions per problem, all problems in one engine batch ({@link Generator#completeAll}).
     * Each problem's phrasing (and, when sampling, its seed) is drawn from {@code rnd} in problem order.
     *
     * @param threads the engine's compute threads
     */
    public static Score evaluate(Params params, TinyVocab vocab, List<Problem> problems, int k, float temperature,
                                 int maxTokens, RandomGenerator rnd, int threads) {
        List<Dialogues.Dialogue> asked = new ArrayList<>(problems.size());
        List<Long> seeds = new ArrayList<>(problems.size());
        for (Problem p : problems) {
            asked.add(new Dialogues.Dialogue(p, Chat.of(p.question(rnd))));
            seeds.add(temperature > 0 ? Generator.seed(rnd) : 0); // greedy draws nothing: same phrasings as before
        }
        return evaluate(params, vocab, asked, seeds, k, temperature, maxTokens, threads);
    }

    /** Greedy accuracy over conversations (each scored on its last question), one thread per core. */
    public static Score evaluateChats(Params params, TinyVocab vocab, List<Dialogues.Dialogue> asked, int maxTokens) {
        return evaluateChats(params, vocab, asked, maxTokens, Runtime.getRuntime().availableProcessors());
    }

    /** Greedy accuracy over conversations (each scored on its last question) on {@code threads} engine threads. */
    public static Score evaluateChats(Params params, TinyVocab vocab, List<Dialogues.Dialogue> asked, int maxTokens,
                                      int threads) {
        return evaluate(params, vocab, asked, java.util.Collections.nCopies(asked.size(), 0L), 1, 0f, maxTokens, threads);
    }

    private static Score evaluate(Params params, TinyVocab vocab, List<Dialogues.Dialogue> asked, List<Long> seeds, int k,
                                  float temperature, int maxTokens, int threads) {
        List<Problem> problems = asked.stream().map(Dialogues.Dialogue::problem).toList();
        List<Generator.Request> requests = new ArrayList<>(asked.size());
        for (int i = 0; i < asked.size(); i++) {
            requests.add(new Generator.Request(asked.get(i).chat().prompt(), maxTokens, temperature, seeds.get(i), k));
        }
        List<List<Generator.Completion>> samples = new Generator(params, vocab, threads).completeAll(requests);
        double correct = 0;
        int format = 0;
        long tokens = 0;
        for (int i = 0; i < problems.size(); i++) {
            Problem p = problems.get(i);
            List<Generator.Completion> group = samples.get(i);
            int hits = 0;
            for (Generator.Completion c : group) {
                if (Verifier.correct(p, c.text())) {
                    hits++;
                }
                tokens += c.ids().length;
            }
            if (Verifier.wellFormed(p, group.getFirst().text())) {
                format++;
            }
            correct += hits / (double) k;
        }
        return new Score(correct, problems.size(), format, tokens / (double) Math.max(1, problems.size() * k));
    }
}
