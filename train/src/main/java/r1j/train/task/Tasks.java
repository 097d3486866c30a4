package r1j.train.task;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Problem generators by family and difficulty, drawn from the training or the held-out side of {@link Split}.
 * Difficulty: for {@code add}/{@code sub} the operand digit count; for {@code mul} the digits of the first operand
 * (the second has 1 digit at level 1, 2 at levels 2–3, 3 at level 4); for {@code countdown} the count of numbers.
 * The {@code -mix} families draw each operand's length on its own, uniformly from 1 to the level ({@code 5 + 1234},
 * {@code 100 - 1}); {@code mul-mix} caps the first factor at 3 digits and the second at 2. {@code mixed} is one of
 * the three at random; {@code offtopic} is a question that is not arithmetic (level ignored).
 */
public final class Tasks {
    private Tasks() {}

    /** Which side of the split to draw from. */
    public enum Side { TRAIN, TEST }

    public static Problem draw(RandomGenerator rnd, String family, int level, Side side) {
        for (int attempt = 0; attempt < 10_000; attempt++) {
            Problem p = unsplit(rnd, family, level, side);
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

    /** The families of {@code mixed}: one operation at random, each operand's length drawn on its own. */
    private static final String[] MIXED = {"add-mix", "sub-mix", "mul-mix"};

    private static Problem unsplit(RandomGenerator rnd, String family, int level, Side side) {
        return switch (family) {
            case "add" -> new Arithmetic('+', digits(rnd, level), digits(rnd, level));
            case "sub" -> new Arithmetic('-', digits(rnd, level), digits(rnd, level));
            case "mul" -> new Arithmetic('*', digits(rnd, level), multiplier(rnd, level, side));
            case "add-mix" -> new Arithmetic('+', digits(rnd, 1 + rnd.nextInt(level)), digits(rnd, 1 + rnd.nextInt(level)));
            case "sub-mix" -> new Arithmetic('-', digits(rnd, 1 + rnd.nextInt(level)), digits(rnd, 1 + rnd.nextInt(level)));
            case "mul-mix" -> new Arithmetic('*', digits(rnd, 1 + rnd.nextInt(Math.min(level, 3))),
                    digits(rnd, 1 + rnd.nextInt(Math.min(level, 3) > 1 ? 2 : 1)));
            case "mixed" -> unsplit(rnd, MIXED[rnd.nextInt(MIXED.length)], level, side);
            case "offtopic" -> OffTopic.generate(rnd);
            case "countdown" -> Countdown.generate(rnd, level, 10);
            default -> throw new IllegalArgumentException(
                    "unknown task family '%s'; known: add, sub, mul, add-mix, sub-mix, mul-mix, mixed, offtopic, countdown"
                            .formatted(family));
        };
    }

    /**
     * The second factor: 1 digit at level 1, 3 at level 4; at levels 2 and 3 two digits, and in training a quarter of
     * the time one, so {@code 347*7} is seen too while the held-out split is strictly 3-digit × 2-digit.
     */
    private static long multiplier(RandomGenerator rnd, int level, Side side) {
        if (level <= 1 || level >= 4) {
            return digits(rnd, level <= 1 ? 1 : 3);
        }
        return side == Side.TRAIN && rnd.nextInt(4) == 0 ? digits(rnd, 1) : digits(rnd, 2);
    }

    /** A number with exactly {@code d} digits (0..9 for one digit). */
    static long digits(RandomGenerator rnd, int d) {
        long lo = d == 1 ? 0 : pow10(d - 1);
        return lo + rnd.nextLong(pow10(d) - lo);
    }

    private static long pow10(int d) {
        long p = 1;
        for (int i = 0; i < d; i++) {
            p *= 10;
        }
        return p;
    }
}
