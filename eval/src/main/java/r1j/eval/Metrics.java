package r1j.eval;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiPredicate;

/**
 * The R1 paper's figures and their uncertainty.
 *
 * <ul>
 *   <li>pass@1: per problem, the fraction of its k samples that are right; averaged over problems.</li>
 *   <li>pass@k: per problem, the unbiased estimator of Chen et al. 2021 ("Evaluating Large Language Models Trained
 *       on Code", eq. 1), {@code 1 − C(n−c, k) / C(n, k)} for c right of n samples.</li>
 *   <li>cons@k: per problem, whether the majority answer of the k samples is right; answers that are equivalent vote
 *       together, unanswered samples do not vote, a tie goes to the answer given first.</li>
 *   <li>95% intervals: the percentile bootstrap over problems (problems resampled with replacement, seeded), which
 *       fits all three; {@link #wilson} for a single proportion.</li>
 * </ul>
 */
public final class Metrics {
    private Metrics() {}

    /** Bootstrap resamples behind every interval. */
    public static final int RESAMPLES = 2000;

    /** Unbiased pass@k for {@code c} right of {@code n} samples ({@code k ≤ n}). */
    public static double passAtK(int n, int c, int k) {
        if (k < 1 || k > n || c < 0 || c > n) {
            throw new IllegalArgumentException("pass@k needs 1 <= k <= n and 0 <= c <= n; got n=%d c=%d k=%d".formatted(n, c, k));
        }
        if (n - c < k) {
            return 1.0;
        }
        double fail = 1.0; // C(n-c, k) / C(n, k) = prod_{i=n-c+1..n} (1 - k/i)
        for (int i = n - c + 1; i <= n; i++) {
            fail *= 1.0 - (double) k / i;
        }
        return 1.0 - fail;
    }

    /**
     * The index of the first answer of the largest group of equivalent answers, or −1 when none was given
     * ({@code null} answers do not vote). Ties go to the group whose first answer comes earliest.
     */
    public static int majority(List<String> answers, BiPredicate<String, String> same) {
        int n = answers.size();
        int[] group = new int[n];
        Arrays.fill(group, -1);
        int[] votes = new int[n];
        for (int i = 0; i < n; i++) {
            if (answers.get(i) == null) {
                continue;
            }
            for (int j = 0; j < i; j++) {
                if (group[j] == j && same.test(answers.get(j), answers.get(i))) {
                    group[i] = j;
                    break;
                }
            }
            if (group[i] < 0) {
                group[i] = i;
            }
            votes[group[i]]++;
        }
        int best = -1;
        for (int i = 0; i < n; i++) {
            if (group[i] == i && (best < 0 || votes[i] > votes[best])) {
                best = i;
            }
        }
        return best;
    }

    /** The mean of per-problem values. */
    public static double mean(double[] values) {
        return values.length == 0 ? Double.NaN : Arrays.stream(values).sum() / values.length;
    }

    /**
     * The 95% percentile-bootstrap interval of the mean of per-problem values: {@link #RESAMPLES} resamples of the
     * problems with replacement, drawn from {@code seed}.
     */
    public static double[] bootstrap95(double[] values, long seed) {
        if (values.length == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] means = new double[RESAMPLES];
        int n = values.length;
        for (int b = 0; b < RESAMPLES; b++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += values[rnd.nextInt(n)];
            }
            means[b] = sum / n;
        }
        Arrays.sort(means);
        return new double[] {means[(int) Math.floor(0.025 * (RESAMPLES - 1))], means[(int) Math.ceil(0.975 * (RESAMPLES - 1))]};
    }

    /** The 95% Wilson score interval of {@code successes} out of {@code n} (z = 1.96). */
    public static double[] wilson95(double successes, int n) {
        if (n <= 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double z = 1.959963984540054, p = successes / n;
        double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
        double half = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / (1 + z * z / n);
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }
}
