package r1j.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the KV cache stores keys and values, as llama.cpp's {@code --cache-type-k/v}.
 *
 * <ul>
 *   <li>{@link #F32}: 4 bytes a value; attention then computes exactly what r1j always has (same dot products,
 *       softmax and weighted sum in the same order), so an all-F32 model stays bit-reproducible;</li>
 *   <li>{@link #F16}: 2 bytes a value, llama.cpp's default: half the memory and half the bytes attention reads per
 *       token at long context, at a logit cost the golden README measures (about 2e-3 on its tiny models);</li>
 *   <li>{@link #AUTO}: the model's choice ({@link #resolve}): F32 when every weight is F32, else F16.</li>
 * </ul>
 */
public enum KvCacheType {
    AUTO, F32, F16;

    /** Bytes of one stored value; AUTO has none until resolved. */
    public int bytesPerValue() {
        return switch (this) {
            case F32 -> 4;
            case F16 -> 2;
            case AUTO -> throw new IllegalStateException("AUTO has no storage; resolve it for a model first");
        };
    }

    /** This type, or for AUTO the default of a model whose weights are all F32 ({@code allF32}) or not. */
    public KvCacheType resolve(boolean allF32) {
        return this != AUTO ? this : allF32 ? F32 : F16;
    }

    /**
     * The type named {@code text} ({@code f32}, {@code f16} or {@code auto}, any case), as the CLI's
     * {@code --kv-type} takes it.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static KvCacheType parse(String text) {
        String t = text == null ? "" : text.strip().toUpperCase(Locale.ROOT);
        for (KvCacheType k : values()) if (k.name().equals(t)) return k;
        throw new IllegalArgumentException("KV cache type '" + text + "' is not supported; use one of "
                + Arrays.stream(values()).map(v -> v.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
    }
}
