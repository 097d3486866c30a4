package r1j.train.recipe;

import java.util.List;
import java.util.random.RandomGenerator;
import r1j.train.task.Problem;
import r1j.train.task.Tasks;

/**
 * A weighted mixture of (family, level) task sources, drawn from the training side of the split.
 *
 * @param parts the sources and their weights
 */
public record Mixture(List<Part> parts) {

    /** One source: {@code family} at difficulty {@code level}, drawn with probability proportional to weight. */
    public record Part(String family, int level, double weight) {}

    public Mixture {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a mixture needs at least one part");
        }
        parts = List.copyOf(parts);
    }

    public Part pick(RandomGenerator rnd) {
        double total = parts.stream().mapToDouble(Part::weight).sum();
        double r = rnd.nextDouble() * total;
        for (Part p : parts) {
            r -= p.weight();
            if (r < 0) {
                return p;
            }
        }
        return parts.getLast();
    }

    public Problem draw(RandomGenerator rnd) {
        Part p = pick(rnd);
        return Tasks.draw(rnd, p.family(), p.level(), Tasks.Side.TRAIN);
    }
}
