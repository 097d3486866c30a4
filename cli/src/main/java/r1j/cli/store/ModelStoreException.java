package r1j.cli.store;

/**
 * A model store operation failed in a way the user can act on; the message says what happened and what to do.
 * The CLI prints the message (no stack trace) and exits with a non-zero status.
 */
public class ModelStoreException extends RuntimeException {

    /** @param message what went wrong and what to do about it */
    public ModelStoreException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong and what to do about it
     * @param cause   the underlying failure, kept for debugging
     */
    public ModelStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
