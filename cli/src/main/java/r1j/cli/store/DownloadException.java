package r1j.cli.store;

/** A download failed: bad HTTP status, a connection lost more times than the retry budget, or a full disk. */
public class DownloadException extends ModelStoreException {

    /** @param message what failed and what to do */
    public DownloadException(String message) {
        super(message);
    }

    /**
     * @param message what failed and what to do
     * @param cause   the underlying I/O failure
     */
    public DownloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
