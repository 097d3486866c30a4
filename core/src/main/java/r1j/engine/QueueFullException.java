package r1j.engine;

/**
 * {@link Engine#submit} found the wait queue full: every slot is busy and {@link EngineOptions#maxQueue()} requests
 * already wait. A server answers 429 or 503; the request may be retried later.
 */
public final class QueueFullException extends EngineException {

    private final int queueLimit;

    public QueueFullException(int queueLimit) {
        super("the request queue is full (%d waiting); retry later or raise the queue limit".formatted(queueLimit));
        this.queueLimit = queueLimit;
    }

    /** The configured queue limit. */
    public int queueLimit() {
        return queueLimit;
    }
}
