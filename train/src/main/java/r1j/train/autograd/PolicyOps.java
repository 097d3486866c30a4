package r1j.train.autograd;

/**
 * The ops of policy-gradient training: per-token log-probabilities of sampled tokens, and the GRPO objective of
 * DeepSeekMath/DeepSeek-R1 (clipped importance ratio times the group-normalised advantage, minus a KL penalty to the
 * reference policy estimated with Schulman's unbiased k3 form {@code exp(ref - lp) - (ref - lp) - 1}).
 */
public final class PolicyOps {
    private PolicyOps() {}

    /**
     * {@code log softmax(logits[t])[targets[t]]} per row; rows with a negative target give 0 and no gradient.
     *
     * @return {@code [T, 1]}
     */
    public static Var tokenLogProbs(Tape tape, Var logits, int[] targets) {
        int rowsT = logits.rows(), v = logits.cols();
        float[] prob = new float[logits.size()];
        Var lp = Var.zeros(rowsT, 1);
        for (int t = 0; t < rowsT; t++) {
            if (targets[t] >= 0) {
                lp.value()[t] = (float) Ops.logSoftmaxInto(logits.value(), t * v, v, prob, targets[t]);
            }
        }
        tape.record(() -> {
            float[] dl = logits.grad(), dlp = lp.grad();
            for (int t = 0; t < rowsT; t++) {
                if (targets[t] < 0 || dlp[t] == 0) {
                    continue;
                }
                for (int j = 0; j < v; j++) {
                    dl[t * v + j] -= dlp[t] * prob[t * v + j];
                }
                dl[t * v + targets[t]] += dlp[t];
            }
        });
        return lp;
    }

    /** Per-token inputs of the GRPO loss; rows with weight 0 (prompt, padding) do not count. */
    public record Grpo(float[] advantage, float[] oldLogProb, float[] refLogProb, float[] weight, float clipEps, float beta) {}

    /** Scalar parts of the last GRPO loss, for logs. */
    public record GrpoStats(double meanKl, double clippedFraction) {}

    /**
     * {@code loss = -sum_t weight_t * (min(r_t A_t, clip(r_t, 1-eps, 1+eps) A_t) - beta * KL_t)} with
     * {@code r_t = exp(lp_t - old_t)}; {@code weight_t = 1 / (G * |o_i|)} averages over tokens, then completions.
     *
     * @param lp {@code [T, 1]} from {@link #tokenLogProbs}
     * @param stats receives the mean KL and clipped fraction (may be null)
     * @return {@code [1, 1]}
     */
    public static Var grpoLoss(Tape tape, Var lp, Grpo g, GrpoStats[] stats) {
        int rowsT = lp.rows();
        float[] dlpLocal = new float[rowsT];
        double loss = 0, kl = 0, weightSum = 0;
        int clipped = 0, counted = 0;
        for (int t = 0; t < rowsT; t++) {
            float w = g.weight()[t];
            if (w == 0) {
                continue;
            }
            float l = lp.value()[t], a = g.advantage()[t];
            float ratio = (float) Math.exp(l - g.oldLogProb()[t]);
            float clippedRatio = Math.clamp(ratio, 1 - g.clipEps(), 1 + g.clipEps());
            float surrogate = Math.min(ratio * a, clippedRatio * a);
            boolean isClipped = clippedRatio * a < ratio * a;
            float diff = g.refLogProb()[t] - l;
            float klT = (float) (Math.exp(diff) - diff - 1);
            loss -= w * (surrogate - g.beta() * klT);
            // d/dlp: surrogate ratio*A -> ratio*A (0 where the clipped branch is taken); k3 -> 1 - exp(ref - lp)
            float dSur = isClipped ? 0 : ratio * a;
            dlpLocal[t] = -w * (dSur - g.beta() * (1 - (float) Math.exp(diff)));
            kl += w * klT;
            weightSum += w;
            clipped += isClipped ? 1 : 0;
            counted++;
        }
        if (stats != null) {
            stats[0] = new GrpoStats(weightSum == 0 ? 0 : kl / weightSum, counted == 0 ? 0 : clipped / (double) counted);
        }
        Var out = new Var(1, 1, new float[] {(float) loss});
        tape.record(() -> Ops.axpy(out.grad()[0], dlpLocal, 0, lp.grad(), 0, rowsT));
        return out;
    }
}
