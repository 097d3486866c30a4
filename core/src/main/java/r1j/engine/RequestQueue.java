package r1j.engine;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Requests submitted and not yet given slots, first come first served. Any thread {@link #offer}s; only the
 * scheduler thread takes. The limit counts requests that cannot start at once: {@code maxQueue} beyond the slots
 * free when the request arrives, so a queue of 0 still admits a request while a slot is free.
 */
final class RequestQueue {

    private final int maxQueue;
    private final StatsRecorder stats;
    private final Queue<RequestState> incoming = new ConcurrentLinkedQueue<>(); // offered, not yet seen by the scheduler
    private final ArrayDeque<RequestState> waiting = new ArrayDeque<>();          // scheduler thread only
    private final Object lock = new Object();                                    // guards pending and closed
    private int pending;
    private boolean closed;

    RequestQueue(int maxQueue, StatsRecorder stats) {
        this.maxQueue = maxQueue;
        this.stats = stats;
    }

    /**
     * Adds a request.
     *
     * @param freeSlots slots that could take a request now (read racily; the limit is a bound, not an exact count)
     * @throws QueueFullException    when {@code maxQueue} requests already wait beyond the free slots
     * @throws EngineClosedException after {@link #close()}
     */
    void offer(RequestState r, int freeSlots) {
        synchronized (lock) {
            if (closed) {
                throw new EngineClosedException();
            }
            if (pending >= maxQueue + Math.max(0, freeSlots)) {
                stats.rejected();
                throw new QueueFullException(maxQueue);
            }
            pending++;
            stats.submitted(r.prompt.length);
            incoming.add(r);
        }
    }

    /** Refuses every later offer. */
    void close() {
        synchronized (lock) {
            closed = true;
        }
    }

    /** Requests offered and not yet taken. */
    int depth() {
        synchronized (lock) {
            return pending;
        }
    }

    /** The oldest waiting request, or {@code null}. Scheduler thread only. */
    RequestState peek() {
        for (RequestState r; (r = incoming.poll()) != null; ) {
            waiting.add(r);
        }
        return waiting.peek();
    }

    /** Removes and returns the oldest waiting request, or {@code null}. Scheduler thread only. */
    RequestState poll() {
        RequestState r = peek();
        if (r != null) {
            waiting.poll();
            synchronized (lock) {
                pending--;
            }
        }
        return r;
    }
}
