package r1j.model;

/**
 * A well-formed GGUF model that r1j cannot run: an architecture or a RoPE scaling it does not implement. The
 * message names what the file asks for and what r1j supports.
 */
public final class UnsupportedModelException extends ModelLoadException {

    public UnsupportedModelException(String message) {
        super(message);
    }
}
