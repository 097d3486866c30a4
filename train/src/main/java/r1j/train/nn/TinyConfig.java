package r1j.train.nn;

/**
 * Hyper-parameters of the tiny {@code llama}-architecture model (RMSNorm, NORM-style RoPE, SwiGLU, untied output).
 *
 * @param dim        model width
 * @param hiddenDim  SwiGLU width
 * @param layers     transformer blocks
 * @param heads      query heads
 * @param kvHeads    key/value heads (grouped-query attention when fewer than heads)
 * @param vocab      vocabulary size
 * @param context    longest sequence the model is trained and run on
 * @param rmsEps     RMSNorm epsilon
 * @param ropeTheta  RoPE base frequency
 */
public record TinyConfig(int dim, int hiddenDim, int layers, int heads, int kvHeads, int vocab, int context,
                         float rmsEps, float ropeTheta) {

    public TinyConfig {
        if (dim <= 0 || hiddenDim <= 0 || layers <= 0 || heads <= 0 || kvHeads <= 0 || vocab <= 0 || context <= 0) {
            throw new IllegalArgumentException("sizes must be positive: " + this);
        }
        if (dim % heads != 0 || heads % kvHeads != 0 || (dim / heads) % 2 != 0) {
            throw new IllegalArgumentException("dim %d, heads %d, kvHeads %d: need dim %% heads == 0, heads %% kvHeads == 0 and an even head size"
                    .formatted(dim, heads, kvHeads));
        }
    }

    public int headSize() { return dim / heads; }

    public int kvDim() { return kvHeads * headSize(); }

    /** Same shape with another width/depth (students and teachers of distillation). */
    public TinyConfig withSize(int newDim, int newHidden, int newLayers, int newHeads, int newKvHeads) {
        return new TinyConfig(newDim, newHidden, newLayers, newHeads, newKvHeads, vocab, context, rmsEps, ropeTheta);
    }
}
