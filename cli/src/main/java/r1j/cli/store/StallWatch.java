package r1j.cli.store;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * Closes a response body that delivered nothing for too long. {@code HttpClient} has no read timeout on a streamed
 * body, so a connection that stalls without closing would block a download forever; closing the stream from this
 * watcher makes the blocked {@code read} throw, and the downloader resumes with a fresh request.
 */
final class StallWatch implements Closeable {

    private final InputStream body;
    private final long limitNanos;
    private final Thread watcher;
    private volatile long lastProgressNanos = System.nanoTime();
    private volatile boolean stalled;
    private volatile boolean closed;

    private StallWatch(InputStream body, Duration limit) {
        this.body = body;
        this.limitNanos = limit.toNanos();
        // A virtual thread: it only waits.
        this.watcher = Thread.ofVirtual().name("r1j-download-stall-watch").unstarted(this::watch);
    }

    /** Starts watching {@code body}; call {@link #progressed()} whenever bytes arrive and {@link #close()} after. */
    static StallWatch start(InputStream body, Duration limit) {
        StallWatch watch = new StallWatch(body, limit);
        watch.watcher.start();
        return watch;
    }

    /** Bytes arrived: the clock starts again. */
    void progressed() {
        lastProgressNanos = System.nanoTime();
    }

    /** @return true when the body was closed because it stalled */
    boolean stalled() {
        return stalled;
    }

    private void watch() {
        long step = Math.max(1, limitNanos / 4);
        while (!closed) {
            try {
                Thread.sleep(Duration.ofNanos(step));
            } catch (InterruptedException e) {
                return;
            }
            if (!closed && System.nanoTime() - lastProgressNanos > limitNanos) {
                stalled = true;
                try {
                    body.close();
                } catch (IOException ignored) {
                    // The reader sees the closed stream either way.
                }
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        watcher.interrupt();
    }
}
