package r1j.train.autograd;

import java.util.ArrayList;
import java.util.List;

/**
 * Records backward steps in forward order and runs them in reverse: reverse-mode differentiation. One tape serves one
 * forward/backward pass; ops append to it (see {@link Ops}).
 */
public final class Tape {
    private final List<Runnable> steps = new ArrayList<>();
    private final Rows rows;

    /** @param rows how row-parallel loops are split over threads */
    public Tape(Rows rows) {
        this.rows = rows;
    }

    Rows rows() { return rows; }

    void record(Runnable backward) {
        steps.add(backward);
    }

    /**
     * Seeds {@code d loss / d loss = 1} and propagates gradients to every recorded input.
     *
     * @param loss a {@code [1, 1]} scalar produced on this tape
     */
    public void backward(Var loss) {
        if (loss.size() != 1) {
            throw new IllegalArgumentException("backward needs a scalar loss, got [%d, %d]".formatted(loss.rows(), loss.cols()));
        }
        loss.grad()[0] += 1f;
        for (int i = steps.size() - 1; i >= 0; i--) {
            steps.get(i).run();
        }
        steps.clear();
    }
}
