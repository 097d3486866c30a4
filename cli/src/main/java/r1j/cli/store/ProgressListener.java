package r1j.cli.store;

/**
 * Receives progress of a long step (a download, a model load) measured in units of work, usually bytes.
 * Calls come from the working thread, in order: {@code start}, any number of {@code update}, then {@code finish}.
 */
public interface ProgressListener {

    /** A listener that shows nothing. */
    ProgressListener NONE = new ProgressListener() {
        @Override
        public void start(String task, long total, long done) {
        }

        @Override
        public void update(long done) {
        }

        @Override
        public void finish() {
        }
    };

    /**
     * The step begins (or resumes).
     *
     * @param task  short label shown to the user
     * @param total units of work in all, or -1 when unknown
     * @param done  units already done before this run (a resumed download), not counted towards the speed
     */
    void start(String task, long total, long done);

    /** @param done units done so far, from the beginning (not a delta); never decreases except after a restart */
    void update(long done);

    /** The step ended, successfully or not; the listener releases what it holds. */
    void finish();
}
