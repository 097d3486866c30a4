package r1j.model;

import static r1j.model.TensorNames.*;

import r1j.tensor.WeightMatrix;

/**
 * The weights of a mixture-of-experts feed-forward ({@link MoeFeedForward}), named after their GGUF tensors. The
 * experts are views over the mapped file: an expert's pages are read only when a token is routed to it.
 *
 * @param gateInp   {@code ffn_gate_inp.weight} [experts, dim]: router logits
 * @param expProbsB {@code exp_probs_b.bias} [experts]: score correction for choosing experts only, or null
 * @param gate      {@code ffn_gate_exps.weight}, one [expertHidden, dim] view per expert
 * @param up        {@code ffn_up_exps.weight}, likewise
 * @param down      {@code ffn_down_exps.weight}, one [dim, expertHidden] view per expert
 * @param shared    {@code ffn_*_shexp.weight}, the shared experts as one SwiGLU, or null without shared experts
 */
public record MoeWeights(WeightMatrix gateInp, float[] expProbsB, WeightMatrix[] gate, WeightMatrix[] up,
                         WeightMatrix[] down, FeedForward shared) {

    /** Binds block {@code layer}'s router and experts (shared ones when {@code c} has them), checking shapes. */
    static MoeWeights bind(TensorBinder b, int layer, MoeConfig c, int dim) {
        int sh = c.sharedExperts() * c.expertHiddenDim();
        return new MoeWeights(
                b.matrix(blk(layer, FFN_GATE_INP), c.experts(), dim),
                b.bias(blk(layer, EXP_PROBS_B), c.experts(), false),
                b.stacked(blk(layer, FFN_GATE_EXPS), c.experts(), c.expertHiddenDim(), dim),
                b.stacked(blk(layer, FFN_UP_EXPS), c.experts(), c.expertHiddenDim(), dim),
                b.stacked(blk(layer, FFN_DOWN_EXPS), c.experts(), dim, c.expertHiddenDim()),
                sh == 0 ? null : new FeedForward(b.matrix(blk(layer, FFN_GATE_SHEXP), sh, dim),
                        b.matrix(blk(layer, FFN_UP_SHEXP), sh, dim), b.matrix(blk(layer, FFN_DOWN_SHEXP), dim, sh)));
    }
}
