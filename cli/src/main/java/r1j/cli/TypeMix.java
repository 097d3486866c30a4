package r1j.cli;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import r1j.tensor.GgmlType;

/**
 * Which ggml type each weight matrix of a synthetic model gets, following llama-quantize's choices without an
 * importance matrix ({@code llama_tensor_get_type} in llama.cpp's {@code src/llama-quant.cpp}) for the files
 * BASELINE.md measures:
 * <ul>
 *   <li>a plain type ({@code Q8_0}, {@code F16}, ...): every matrix in it;</li>
 *   <li>{@code Q4_0}: layers and embedding in Q4_0, the output head in Q6_K;</li>
 *   <li>{@code Q4_K_M}: layers and embedding in Q4_K; the output head in Q6_K, and {@code attn_v} and
 *       {@code ffn_down} in Q6_K in the "more bits" layers (the first and last eighth, and every third between).</li>
 * </ul>
 * A tied embedding doubles as the output head and takes the head's type.
 *
 * @param name     what the user passed ({@code Q4_K_M})
 * @param layer    the type of most layer matrices
 * @param output   the output head's type
 * @param moreBits the type of {@code attn_v} and {@code ffn_down} in "more bits" layers
 */
record TypeMix(String name, GgmlType layer, GgmlType output, GgmlType moreBits) {

    /** Parses {@code Q4_K_M} or a ggml type name, case-insensitively. */
    static TypeMix of(String text) {
        String name = text.toUpperCase(Locale.ROOT);
        if (name.equals("Q4_K_M")) return new TypeMix(name, GgmlType.Q4_K, GgmlType.Q6_K, GgmlType.Q6_K);
        GgmlType t;
        try {
            t = GgmlType.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown weight type '%s'; use Q4_K_M or a ggml type such as Q8_0, Q4_0, Q4_K, F16"
                    .formatted(text));
        }
        if (!t.supported()) throw new IllegalArgumentException("r1j cannot write %s weights; use Q8_0, Q4_0, Q4_K_M, F16, ...".formatted(t));
        return new TypeMix(name, t, t == GgmlType.Q4_0 ? GgmlType.Q6_K : t, t);
    }

    /** The token embedding's type when it is not tied to the output head. */
    GgmlType embedding() { return layer; }

    /** The type of {@code attn_v} and {@code ffn_down} in layer {@code i} of {@code n}. */
    GgmlType moreBits(int i, int n) {
        return usesMoreBits(i, n) ? moreBits : layer;
    }

    /** llama.cpp's {@code use_more_bits}: the first and last eighth of the layers, and every third one between. */
    static boolean usesMoreBits(int i, int n) {
        return i < n / 8 || i >= 7 * n / 8 || (i - n / 8) % 3 == 2;
    }

    @Override
    public String toString() { return name; }

    /** picocli's converter for {@code --type}. */
    static final class Converter implements ITypeConverter<TypeMix> {
        @Override
        public TypeMix convert(String value) {
            try {
                return of(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
