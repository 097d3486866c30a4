package r1j.train.task;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Problem generators by family and difficulty, drawn from the training or the held-out side of {@link Split}.
 * Difficulty: for {@code add}/{@code sub} the operand digit count; for {@code mul} the digits of the first operand
 * (the second has up to 2, or 3 at level 4); for {@code countdown} the count of numbers.
 */
public final class Tasks {
    private Tasks() {}

    /** Which side of the split to draw from. */
    public enum Side { TRAIN, TEST }

    public static Problem draw(RandomGenerator rnd, String family, int level, Side side) {
        for (int attempt = 0; attempt < 10_000; attempt++) {
            Problem p = unsplit(rnd, family, level);
            if (Split.heldOut(p) == (side == Side.TEST)) {
                return p;
            }
        }
        throw new IllegalStateException("no %s problem of %s level %d on the %s side".formatted(family, family, level, side));
    }

    /** A fixed held-out set: {@code n} test problems from a seeded generator (same seed, same set). */
    public static List<Problem> testSet(String family, int level, int n, long seed) {
        RandomGenerator rnd = new java.util.SplittableRandom(seed ^ family.hashCode() * 31L ^ level);
        List<Problem> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (out.size() < n) {
            Problem p = draw(rnd, family, level, Side.TEST);
            if (seen.add(p.key())) {
                out.add(p);
            }
        }
        return out;
    }

    private static Problem unsplit(RandomGenerator rnd, String family, int level) {
        return switch (family) {
            case "add" -> new Arithmetic('+', digits(rnd, level), digits(rnd, level));
            case "sub" -> new Arithmetic('-', digits(rnd, level), digits(rnd, level));
            case "mul" -> new Arithmetic('*', digits(rnd, level), level >= 4 ? digits(rnd, 3) : upTo(rnd, 2));
            case "countdown" -> Countdown.generate(rnd, level, 10);
            default -> throw new IllegalArgumentException("unknown task family '%s'; known: add, sub, mul, countdown".formatted(family));
        };
    }

    /** A number with exactly {@code d} digits (0..9 for one digit). */
    static long digits(RandomGenerator rnd, int d) {
        long lo = d == 1 ? 0 : pow10(d - 1);
        return lo + rnd.nextLong(pow10(d) - lo);
    }

    private static long upTo(RandomGenerator rnd, int d) {
        return digits(rnd, 1 + rnd.nextInt(d));
    }

    private static long pow10(int d) {
        long p = 1;
        for (int i = 0; i < d; i++) {
            p *= 10;
        }
        return p;
    }
}
