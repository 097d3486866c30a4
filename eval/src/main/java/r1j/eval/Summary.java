package r1j.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of a run, computed from its sample records alone (so anyone can recompute them from
 * {@code samples.jsonl}). Only problems with all k samples count; {@code incomplete} says how many lack some.
 *
 * @param bench      the benchmark's name
 * @param model      the model's name
 * @param problems   problems with all k samples
 * @param incomplete problems with fewer than k samples (an interrupted run)
 * @param k          samples per problem
 * @param passAt1    mean over problems of the fraction of right samples
 * @param consAtK    majority vote over the k extracted answers
 * @param passAtK    unbiased pass@k
 * @param tokens     completion-length statistics, all samples and right vs wrong
 * @param truncated  samples that ended by the token limit or whose prompt did not fit the context
 * @param byLevel    pass@1 per MATH level ("1"…"5"); empty when the benchmark has no levels
 * @param bySubject  pass@1 per subject; empty when the benchmark has none
 */
public record Summary(String bench, String model, int problems, int incomplete, int k, Figure passAt1, Figure consAtK,
                      Figure passAtK, TokenStats tokens, int truncated, Map<String, Figure> byLevel,
                      Map<String, Figure> bySubject) {

    /** A figure in [0, 1] with its 95% interval and the problems behind it. */
    public record Figure(double value, double lo, double hi, int problems) {}

    /**
     * Completion tokens.
     *
     * @param total all samples' tokens
     * @param all   distribution over every sample
     * @param right over right samples
     * @param wrong over wrong samples
     */
    public record TokenStats(long total, Stats all, Stats right, Stats wrong) {}

    /** Count, mean, median and 90th percentile of token counts (NaN when empty), and the counts themselves. */
    public record Stats(int count, double mean, double median, double p90, int[] values) {
        static Stats of(List<Integer> values) {
            int[] v = values.stream().mapToInt(Integer::intValue).sorted().toArray();
            if (v.length == 0) {
                return new Stats(0, Double.NaN, Double.NaN, Double.NaN, v);
            }
            double mean = Arrays.stream(v).average().orElse(Double.NaN);
            double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0;
            return new Stats(v.length, mean, median, v[(int) Math.ceil(0.9 * v.length) - 1], v);
        }
    }

    /**
     * Computes the summary of {@code records} for {@code bench}'s problems (in its order) with {@code k} samples each.
     * Intervals use the percentile bootstrap seeded with {@code seed}.
     */
    public static Summary of(Benchmark bench, String model, int k, List<SampleRecord> records, long seed) {
        Map<String, List<SampleRecord>> byId = new LinkedHashMap<>();
        for (SampleRecord r : records) {
            byId.computeIfAbsent(r.id(), x -> new ArrayList<>()).add(r);
        }
        List<Double> p1 = new ArrayList<>(), cons = new ArrayList<>(), pk = new ArrayList<>();
        Map<String, List<Double>> levels = new TreeMap<>(), subjects = new TreeMap<>();
        List<Integer> all = new ArrayList<>(), right = new ArrayList<>(), wrong = new ArrayList<>();
        long total = 0;
        int incomplete = 0, truncated = 0;
        for (BenchProblem p : bench.problems()) {
            List<SampleRecord> rs = byId.getOrDefault(p.id(), List.of()).stream()
                    .filter(r -> r.sample() < k).sorted(java.util.Comparator.comparingInt(SampleRecord::sample)).toList();
            if (rs.size() < k) {
                incomplete += rs.isEmpty() ? 0 : 1;
                continue;
            }
            int c = 0;
            List<String> answers = new ArrayList<>();
            for (SampleRecord r : rs) {
                c += r.correct() ? 1 : 0;
                answers.add(r.extracted());
                total += r.tokens();
                all.add(r.tokens());
                (r.correct() ? right : wrong).add(r.tokens());
                truncated += "length".equals(r.finishReason()) || EngineBackend.PROMPT_TOO_LONG.equals(r.finishReason()) ? 1 : 0;
            }
            double rate = (double) c / k;
            p1.add(rate);
            pk.add(Metrics.passAtK(k, c, k));
            int vote = Metrics.majority(answers, bench.grader()::sameAnswer);
            cons.add(vote >= 0 && rs.get(vote).correct() ? 1.0 : 0.0);
            if (p.level() > 0) {
                levels.computeIfAbsent(Integer.toString(p.level()), x -> new ArrayList<>()).add(rate);
            }
            if (!p.subject().isEmpty()) {
                subjects.computeIfAbsent(p.subject(), x -> new ArrayList<>()).add(rate);
            }
        }
        Map<String, Figure> lv = new LinkedHashMap<>(), sj = new LinkedHashMap<>();
        levels.forEach((key, v) -> lv.put(key, figure(v, seed)));
        subjects.forEach((key, v) -> sj.put(key, figure(v, seed)));
        return new Summary(bench.name(), model, p1.size(), incomplete, k, figure(p1, seed), figure(cons, seed),
                figure(pk, seed), new TokenStats(total, Stats.of(all), Stats.of(right), Stats.of(wrong)), truncated, lv, sj);
    }

    private static Figure figure(List<Double> perProblem, long seed) {
        double[] v = perProblem.stream().mapToDouble(Double::doubleValue).toArray();
        double[] ci = Metrics.bootstrap95(v, seed);
        return new Figure(Metrics.mean(v), ci[0], ci[1], v.length);
    }
}
