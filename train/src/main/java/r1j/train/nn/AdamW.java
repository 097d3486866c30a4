package r1j.train.nn;

import java.util.HashMap;
import java.util.Map;
import r1j.train.autograd.Var;

/**
 * AdamW (Loshchilov & Hutter) with global-norm gradient clipping and a linear warm-up then cosine decay to
 * {@code minLrRatio * lr}. Weight decay applies to matrices, not to norm gains.
 */
public final class AdamW {
    private final Params params;
    private final float lr;
    private final int warmup;
    private final int total;
    private final float minLrRatio;
    private final float weightDecay;
    private final float clip;
    private final Map<String, float[][]> moments = new HashMap<>(); // name -> {m, v}
    private int step;

    public AdamW(Params params, float lr, int warmup, int total, float minLrRatio, float weightDecay, float clip) {
        this.params = params;
        this.lr = lr;
        this.warmup = warmup;
        this.total = total;
        this.minLrRatio = minLrRatio;
        this.weightDecay = weightDecay;
        this.clip = clip;
    }

    /** Learning rate at step {@code s} (0-based). */
    public float rate(int s) {
        if (s < warmup) {
            return lr * (s + 1) / warmup;
        }
        double progress = Math.min(1.0, (s - warmup) / (double) Math.max(1, total - warmup));
        return (float) (lr * (minLrRatio + (1 - minLrRatio) * 0.5 * (1 + Math.cos(Math.PI * progress))));
    }

    /**
     * Clips, updates every parameter from its gradient, zeroes the gradients.
     *
     * @return the gradient norm before clipping
     */
    public float step() {
        double sq = 0;
        for (Var v : params.tensors().values()) {
            if (v.hasGrad()) {
                for (float g : v.grad()) {
                    sq += (double) g * g;
                }
            }
        }
        float norm = (float) Math.sqrt(sq);
        float scale = norm > clip ? clip / norm : 1f;
        float rate = rate(step);
        step++;
        float b1 = 0.9f, b2 = 0.95f, eps = 1e-8f;
        float c1 = (float) (1 - Math.pow(b1, step)), c2 = (float) (1 - Math.pow(b2, step));
        params.tensors().forEach((name, v) -> {
            if (!v.hasGrad()) {
                return;
            }
            float[][] mv = moments.computeIfAbsent(name, k -> new float[][] {new float[v.size()], new float[v.size()]});
            float[] m = mv[0], s = mv[1], w = v.value(), g = v.grad();
            float decay = Params.isNorm(name) ? 0f : weightDecay;
            for (int i = 0; i < w.length; i++) {
                float gi = g[i] * scale;
                m[i] = b1 * m[i] + (1 - b1) * gi;
                s[i] = b2 * s[i] + (1 - b2) * gi * gi;
                w[i] -= rate * ((m[i] / c1) / ((float) Math.sqrt(s[i] / c2) + eps) + decay * w[i]);
            }
            v.zeroGrad();
        });
        return norm;
    }

    public int steps() { return step; }

    /** Moments and step count, for checkpoints. */
    public Map<String, float[][]> moments() { return moments; }

    public void restore(int steps) { this.step = steps; }
}
