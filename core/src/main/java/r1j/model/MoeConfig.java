package r1j.model;

/**
 * DeepSeekMoE routing and expert widths (DeepSeek-V2 section 2.2, DeepSeek-V3 arXiv:2412.19437 section 2.1.2).
 *
 * @param experts         routed experts per MoE layer ({@code expert_count})
 * @param expertsUsed     experts each token is routed to, K_r ({@code expert_used_count})
 * @param sharedExperts   always-active shared experts ({@code expert_shared_count}); their SwiGLU is one of width
 *                        {@code sharedExperts * expertHiddenDim}; 0 for none
 * @param expertHiddenDim feed-forward width of one expert ({@code expert_feed_forward_length})
 * @param gating          how router logits become affinities ({@code expert_gating_func}: 1 softmax, 2 sigmoid)
 * @param normalizeTopK   whether the chosen experts' weights are divided by their sum ({@code expert_weights_norm})
 * @param routedScale     factor on the routed experts' weights ({@code expert_weights_scale})
 * @param groups          expert groups for group-limited routing ({@code expert_group_count}); 1 = no grouping
 * @param groupsUsed      groups a token may route into ({@code expert_group_used_count}); equals groups when
 *                        routing is not limited
 */
public record MoeConfig(int experts, int expertsUsed, int sharedExperts, int expertHiddenDim, Gating gating,
                        boolean normalizeTopK, float routedScale, int groups, int groupsUsed) {

    /** The router's scoring function. */
    public enum Gating {
        /** DeepSeek-V2: softmax over all experts. */
        SOFTMAX,
        /** DeepSeek-V3: a sigmoid per expert. */
        SIGMOID;

        /** From {@code expert_gating_func}: 1 softmax, 2 sigmoid (llama.cpp's {@code LLAMA_EXPERT_GATING_FUNC_TYPE}). */
        static Gating of(int code) {
            return switch (code) {
                case 1 -> SOFTMAX;
                case 2 -> SIGMOID;
                default -> throw new UnsupportedModelException(
                        "expert_gating_func %d is not supported; supported: 1 (softmax), 2 (sigmoid)".formatted(code));
            };
        }
    }

    public MoeConfig {
        if (experts <= 0 || expertsUsed <= 0 || expertsUsed > experts || sharedExperts < 0 || expertHiddenDim <= 0) {
            throw new IllegalArgumentException("expert counts must satisfy 0 < expert_used_count %d <= expert_count %d, shared %d >= 0, width %d > 0"
                    .formatted(expertsUsed, experts, sharedExperts, expertHiddenDim));
        }
        if (groups <= 0 || experts % groups != 0 || groupsUsed <= 0 || groupsUsed > groups) {
            throw new IllegalArgumentException("expert groups must divide the %d experts and 0 < expert_group_used_count %d <= expert_group_count %d"
                    .formatted(experts, groupsUsed, groups));
        }
        if (groupsUsed * (experts / groups) < expertsUsed) {
            throw new IllegalArgumentException("%d groups of %d experts cannot supply %d experts per token"
                    .formatted(groupsUsed, experts / groups, expertsUsed));
        }
    }

    /** Whether routing first keeps the best {@code groupsUsed} of {@code groups} expert groups. */
    public boolean groupLimited() { return groupsUsed < groups; }

    /** Experts per group. */
    public int groupSize() { return experts / groups; }
}
