package r1j.train.recipe;

import java.util.function.Function;
import java.util.random.RandomGenerator;
import r1j.train.autograd.Ops;
import r1j.train.autograd.Rows;
import r1j.train.autograd.Tape;
import r1j.train.autograd.Var;
import r1j.train.data.Example;
import r1j.train.nn.AdamW;
import r1j.train.nn.Params;
import r1j.train.nn.Transformer;

/**
 * Supervised fine-tuning: next-token cross-entropy on the assistant part of rendered examples, AdamW with warm-up and
 * cosine decay, gradient clipping at 1.
 */
public final class Sft {
    private Sft() {}

    /**
     * @param steps  optimiser steps
     * @param batch  sequences per step
     * @param lr     peak learning rate
     * @param warmup warm-up steps
     * @param maxLen longest example kept (longer ones are skipped)
     */
    public record Options(int steps, int batch, float lr, int warmup, int maxLen) {}

    /** Progress of one step. */
    public record Step(int step, int steps, float loss, float gradNorm, float lr, int tokens) {}

    /** Receives every step (progress bars, logs). */
    @FunctionalInterface
    public interface Listener {
        void onStep(Step step);
    }

    /** Called after some steps to save a resumable checkpoint. */
    @FunctionalInterface
    public interface Checkpointer {
        void save(int stepsDone);
    }

    /** Steps between checkpoints (a multiple of the batch pool, so a resumed run draws the same data). */
    public static final int CHECKPOINT_EVERY = 5 * Batches.POOL;

    /**
     * Trains {@code params} in place from the optimiser's step count (so a restored optimiser resumes) on examples
     * drawn by {@code data} from seeded generators.
     *
     * @return the mean loss of the last 10% of steps
     */
    public static float train(Params params, Function<RandomGenerator, Example> data, long seed, int padId, Options o,
                              Rows rows, AdamW opt, Listener listener, Checkpointer checkpointer) {
        Batches batches = new Batches(data, seed, opt.steps(), o.batch(), padId, o.maxLen());
        double tail = 0;
        int tailSteps = 0;
        for (int s = opt.steps(); s < o.steps(); s++) {
            Batches.Batch b = batches.next();
            Tape tape = new Tape(rows);
            Var logits = Transformer.forward(tape, params, b.ids(), b.len());
            Var loss = Ops.crossEntropy(tape, logits, b.targets());
            tape.backward(loss);
            float lr = opt.rate(s);
            float norm = opt.step();
            float l = loss.value()[0];
            if (s >= o.steps() - Math.max(1, o.steps() / 10)) {
                tail += l;
                tailSteps++;
            }
            listener.onStep(new Step(s + 1, o.steps(), l, norm, lr, b.tokens()));
            if ((s + 1) % CHECKPOINT_EVERY == 0 && s + 1 < o.steps()) {
                checkpointer.save(s + 1);
            }
        }
        return tailSteps == 0 ? Float.NaN : (float) (tail / tailSteps);
    }

    /** An AdamW configured for these options. */
    public static AdamW optimizer(Params params, Options o) {
        return new AdamW(params, o.lr(), o.warmup(), o.steps(), 0.1f, 0.01f, 1f);
    }
}
