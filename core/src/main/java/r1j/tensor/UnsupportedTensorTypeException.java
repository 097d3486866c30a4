package r1j.tensor;

import java.util.Arrays;
import java.util.stream.Collectors;

/** A tensor uses a ggml type that r1j has no kernels for. The message names the type and the supported ones. */
public final class UnsupportedTensorTypeException extends RuntimeException {

    private final GgmlType type;

    public UnsupportedTensorTypeException(GgmlType type) {
        super("ggml tensor type %s (id %d) is not supported; supported types: %s. Use a file quantized to one of those."
                .formatted(type, type.id(), supportedNames()));
        this.type = type;
    }

    /** The type that was asked for. */
    public GgmlType type() { return type; }

    private static String supportedNames() {
        return Arrays.stream(GgmlType.values()).filter(GgmlType::supported).map(Enum::name)
                .collect(Collectors.joining(", "));
    }
}
