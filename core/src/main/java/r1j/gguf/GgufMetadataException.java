package r1j.gguf;

/**
 * A metadata lookup failed: the key is absent, or its value has a type or range the caller cannot use
 * (e.g. a {@code STRING} where an integer was asked for). Unchecked, because a well-formed file may still lack a key
 * that one architecture needs; the message names the key, the file and what was found.
 */
public final class GgufMetadataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GgufMetadataException(String message) {
        super(message);
    }
}
