package r1j.model;

/**
 * A GGUF file that cannot be turned into a model: a required metadata key or tensor is missing, or a tensor has the
 * wrong shape for the hyper-parameters. The message names the key or tensor and what was expected.
 */
public class ModelLoadException extends RuntimeException {

    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
