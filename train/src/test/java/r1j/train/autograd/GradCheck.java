package r1j.train.autograd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Finite-difference gradient check: the op under test is reduced to the scalar {@code sum(y * r)} with a fixed random
 * {@code r}, and every input element's analytic gradient is compared with the central difference of that scalar
 * (computed in double from float forward passes, so the step is large enough to beat float rounding).
 */
final class GradCheck {
    private static final float STEP = 1e-2f;
    /** Allowed |analytic - numeric| relative to max(1, |numeric|) scale of the op's gradients. */
    private static final double TOLERANCE = 1e-2;

    private GradCheck() {}

    static Var random(Random rnd, int rows, int cols, double scale) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rnd.nextGaussian() * scale);
        }
        return new Var(rows, cols, v);
    }

    /** Checks every element of every input of {@code op}. */
    static void check(List<Var> inputs, Function<Tape, Var> op) {
        Tape tape = new Tape(Rows.SERIAL);
        Var out = op.apply(tape);
        float[] r = new float[out.size()];
        Random rnd = new Random(99);
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) rnd.nextGaussian();
        }
        Var loss = weightedSum(tape, out, r);
        tape.backward(loss);
        double maxGrad = 1;
        for (Var in : inputs) {
            for (float g : in.grad()) {
                maxGrad = Math.max(maxGrad, Math.abs(g));
            }
        }
        for (Var in : inputs) {
            float[] x = in.value();
            for (int i = 0; i < x.length; i++) {
                float keep = x[i];
                x[i] = keep + STEP;
                double plus = scalar(op, r);
                x[i] = keep - STEP;
                double minus = scalar(op, r);
                x[i] = keep;
                double numeric = (plus - minus) / (2 * STEP);
                assertThat(Math.abs(in.grad()[i] - numeric))
                        .as("element %d: analytic %s vs numeric %s", i, in.grad()[i], numeric)
                        .isLessThan(TOLERANCE * maxGrad);
            }
        }
    }

    private static double scalar(Function<Tape, Var> op, float[] r) {
        Var out = op.apply(new Tape(Rows.SERIAL));
        double s = 0;
        for (int i = 0; i < r.length; i++) {
            s += (double) out.value()[i] * r[i];
        }
        return s;
    }

    static Var weightedSum(Tape tape, Var y, float[] r) {
        double s = 0;
        for (int i = 0; i < r.length; i++) {
            s += (double) y.value()[i] * r[i];
        }
        Var loss = new Var(1, 1, new float[] {(float) s});
        tape.record(() -> Ops.axpy(loss.grad()[0], r, 0, y.grad(), 0, r.length));
        return loss;
    }
}
