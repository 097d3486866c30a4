package r1j.model;

import r1j.tensor.WeightMatrix;

/**
 * The weights of a SwiGLU feed-forward {@code down(silu(gate x) * up x)} (Shazeer 2020): a deepseek2 leading dense
 * block, or the shared experts of a MoE block taken together.
 *
 * @param gate {@code ffn_gate} (or {@code ffn_gate_shexp}) [hidden, dim]
 * @param up   {@code ffn_up} [hidden, dim]
 * @param down {@code ffn_down} [dim, hidden]
 */
public record FeedForward(WeightMatrix gate, WeightMatrix up, WeightMatrix down) {

    /** The hidden width. */
    int hidden() { return gate.rows(); }
}
