package r1j.model;

import java.util.Arrays;

/**
 * DeepSeekMoE's router: from a token's router logits {@code u = W_gate_inp x} to the experts it uses and their
 * weights, following DeepSeek-V2 (arXiv:2405.04434, eq. 20-23 and "device-limited routing") and DeepSeek-V3
 * (arXiv:2412.19437, eq. 12-16 and "auxiliary-loss-free load balancing"):
 * <ol>
 *   <li>affinities {@code s_i = softmax(u)_i} (V2) or {@code sigmoid(u_i)} (V3);</li>
 *   <li>selection scores {@code s_i + b_i} with the score-correction bias {@code b} ({@code exp_probs_b}) when the
 *       model has one; the bias only chooses experts, the weights use the unbiased {@code s_i};</li>
 *   <li>group-limited routing when the model groups its experts: each group is scored — by the sum of its two best
 *       selection scores under sigmoid gating (V3's {@code noaux_tc}), by its best score under softmax (V2's
 *       {@code group_limited_greedy}) — and only the best {@code groupsUsed} groups stay eligible;</li>
 *   <li>the top {@code K} eligible experts by selection score (ties to the lower index, like llama.cpp's top-k);</li>
 *   <li>weights {@code s_i} of the chosen experts, divided by their sum when {@code normalizeTopK}, times the routed
 *       scaling factor.</li>
 * </ol>
 * Not thread-safe: one router per caller (it keeps scratch arrays).
 */
final class ExpertRouter {

    private final MoeConfig c;
    private final float[] probs;      // [experts] affinities s_i
    private final float[] selection;  // [experts] s_i + b_i, -inf for experts of dropped groups
    private final float[] groupScore; // [groups]
    private final boolean[] groupKept;

    ExpertRouter(MoeConfig config) {
        this.c = config;
        this.probs = new float[config.experts()];
        this.selection = new float[config.experts()];
        this.groupScore = new float[config.groups()];
        this.groupKept = new boolean[config.groups()];
    }

    /**
     * Routes one token.
     *
     * @param logits   router logits at {@code logits[off .. off + experts)}
     * @param bias     score-correction bias {@code [experts]}, or null
     * @param experts  receives the chosen experts at {@code [outOff .. outOff + expertsUsed)}, best first
     * @param weights  receives their mixing weights, same positions
     */
    void route(float[] logits, int off, float[] bias, int[] experts, float[] weights, int outOff) {
        int n = c.experts(), k = c.expertsUsed();
        affinities(logits, off);
        for (int i = 0; i < n; i++) selection[i] = bias == null ? probs[i] : probs[i] + bias[i];
        if (c.groupLimited()) dropGroups();
        float sum = 0;
        for (int j = 0; j < k; j++) {
            int best = -1;
            for (int i = 0; i < n; i++) {
                if (selection[i] != Float.NEGATIVE_INFINITY && (best < 0 || selection[i] > selection[best])) best = i;
            }
            experts[outOff + j] = best;
            weights[outOff + j] = probs[best];
            sum += probs[best];
            selection[best] = Float.NEGATIVE_INFINITY;
        }
        float scale = c.normalizeTopK() ? c.routedScale() / sum : c.routedScale();
        for (int j = 0; j < k; j++) weights[outOff + j] *= scale;
    }

    private void affinities(float[] logits, int off) {
        int n = c.experts();
        switch (c.gating()) {
            case SOFTMAX -> {
                float max = Float.NEGATIVE_INFINITY;
                for (int i = 0; i < n; i++) max = Math.max(max, logits[off + i]);
                float sum = 0;
                for (int i = 0; i < n; i++) sum += probs[i] = (float) Math.exp(logits[off + i] - max);
                for (int i = 0; i < n; i++) probs[i] /= sum;
            }
            case SIGMOID -> {
                for (int i = 0; i < n; i++) probs[i] = (float) (1 / (1 + Math.exp(-logits[off + i])));
            }
        }
    }

    /** Keeps the best {@code groupsUsed} groups and makes the other groups' experts ineligible. */
    private void dropGroups() {
        int g = c.groups(), size = c.groupSize();
        for (int grp = 0; grp < g; grp++) {
            float first = Float.NEGATIVE_INFINITY, second = Float.NEGATIVE_INFINITY;
            for (int i = grp * size; i < (grp + 1) * size; i++) {
                float s = selection[i];
                if (s > first) {
                    second = first;
                    first = s;
                } else if (s > second) {
                    second = s;
                }
            }
            groupScore[grp] = c.gating() == MoeConfig.Gating.SIGMOID && size > 1 ? first + second : first;
        }
        Arrays.fill(groupKept, false);
        for (int j = 0; j < c.groupsUsed(); j++) {
            int best = -1;
            for (int grp = 0; grp < g; grp++) {
                if (!groupKept[grp] && (best < 0 || groupScore[grp] > groupScore[best])) best = grp;
            }
            groupKept[best] = true;
        }
        for (int grp = 0; grp < g; grp++) {
            if (!groupKept[grp]) Arrays.fill(selection, grp * size, (grp + 1) * size, Float.NEGATIVE_INFINITY);
        }
    }
}
