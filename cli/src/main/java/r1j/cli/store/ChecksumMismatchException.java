package r1j.cli.store;

/**
 * The downloaded bytes do not hash to the expected SHA-256. The partial file has been deleted by the time this is
 * thrown, so nothing corrupt is left behind and the next pull starts from zero.
 */
public final class ChecksumMismatchException extends DownloadException {

    private final String expected;
    private final String actual;

    /**
     * @param source   what was downloaded (URL), for the message
     * @param expected the SHA-256 the source promised, lower-case hex
     * @param actual   the SHA-256 of the bytes received, lower-case hex
     */
    public ChecksumMismatchException(String source, String expected, String actual) {
        super("SHA-256 mismatch for " + source + ": expected " + expected + " but the download hashes to " + actual
                + "; the partial file was deleted, run the pull again (if it keeps failing the source has changed)");
        this.expected = expected;
        this.actual = actual;
    }

    /** @return the promised SHA-256, lower-case hex */
    public String expected() {
        return expected;
    }

    /** @return the SHA-256 of what was received, lower-case hex */
    public String actual() {
        return actual;
    }
}
