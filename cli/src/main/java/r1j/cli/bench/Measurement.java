package r1j.cli.bench;

import java.util.Arrays;

/**
 * The timed repetitions of one speed test, as llama-bench reports them: each repetition processes {@code tokens}
 * tokens in {@code steps} forward steps; speeds are averaged per repetition (mean and sample standard deviation of
 * tokens/s), not computed from the mean time.
 *
 * @param test    the test's name: {@code pp512}, {@code tg128}, {@code tg128 x4}
 * @param tokens  tokens processed by one repetition (all sequences together)
 * @param steps   forward steps of one repetition (1 for prompt processing, n for generation)
 * @param seconds wall time of each repetition
 */
public record Measurement(String test, int tokens, int steps, double[] seconds) {

    public Measurement {
        if (tokens <= 0 || steps <= 0 || seconds.length == 0) {
            throw new IllegalArgumentException("a measurement needs tokens, steps and at least one repetition: " + test);
        }
        seconds = seconds.clone();
    }

    @Override
    public double[] seconds() { return seconds.clone(); }

    /** Mean tokens/s over the repetitions. */
    public double meanTokensPerSecond() {
        return Arrays.stream(seconds).map(s -> tokens / s).average().orElseThrow();
    }

    /** Sample standard deviation of tokens/s over the repetitions (0 for a single one). */
    public double stddevTokensPerSecond() {
        if (seconds.length < 2) return 0;
        double mean = meanTokensPerSecond(), sum = 0;
        for (double s : seconds) sum += (tokens / s - mean) * (tokens / s - mean);
        return Math.sqrt(sum / (seconds.length - 1));
    }

    /** Mean forward steps per second: the rate at which the weights are streamed. */
    public double meanStepsPerSecond() {
        return meanTokensPerSecond() * steps / tokens;
    }
}
