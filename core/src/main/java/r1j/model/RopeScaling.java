package r1j.model;

/**
 * How a model stretches RoPE beyond its trained context ({@code <arch>.rope.scaling.type}).
 *
 * @param type                  {@code none}, {@code linear} or {@code yarn}
 * @param factor                context multiplier ({@code rope.scaling.factor}); 1 for {@code none}
 * @param originalContextLength context the model was trained with before scaling
 *                              ({@code rope.scaling.original_context_length}); YaRN's correction dimensions use it
 * @param attnFactor            extra magnitude on cos/sin ({@code rope.scaling.attn_factor}, default 1)
 */
public record RopeScaling(Type type, float factor, int originalContextLength, float attnFactor) {

    /** The scaling kinds r1j implements; others are rejected when the model loads. */
    public enum Type { NONE, LINEAR, YARN }

    public static final RopeScaling NONE = new RopeScaling(Type.NONE, 1f, 0, 1f);

    public RopeScaling {
        if (type != Type.NONE && !(factor > 0)) {
            throw new IllegalArgumentException("rope scaling %s needs a positive factor, got %s".formatted(type, factor));
        }
        if (type == Type.YARN && originalContextLength <= 0) {
            throw new IllegalArgumentException("YaRN rope scaling needs rope.scaling.original_context_length > 0");
        }
    }

    /** Multiplier on every rotation frequency when interpolating: 1/factor, 1 without scaling. */
    public float freqScale() {
        return type == Type.NONE ? 1f : 1f / factor;
    }
}
