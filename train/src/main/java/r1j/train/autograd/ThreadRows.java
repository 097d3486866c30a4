package r1j.train.autograd;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;

/**
 * {@link Rows} on a fixed set of platform threads (math never runs on virtual threads or the common pool): the caller
 * takes the first slice, each worker one more; static partitioning, one latch per loop. Small loops run inline.
 */
public final class ThreadRows implements Rows, AutoCloseable {
    private static final int MIN_ROWS_PER_THREAD = 4;
    private final int threads;
    private final BlockingQueue<Runnable>[] inboxes;
    private final Thread[] workers;

    @SuppressWarnings("unchecked")
    public ThreadRows(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        inboxes = new BlockingQueue[threads - 1];
        workers = new Thread[threads - 1];
        for (int i = 0; i < threads - 1; i++) {
            BlockingQueue<Runnable> inbox = new ArrayBlockingQueue<>(1);
            inboxes[i] = inbox;
            workers[i] = Thread.ofPlatform().daemon().name("r1j-train-" + i).start(() -> {
                try {
                    while (true) {
                        inbox.take().run();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    @Override
    public void forEach(int n, Range body) {
        int nth = Math.min(threads, Math.max(1, n / MIN_ROWS_PER_THREAD));
        if (nth == 1) {
            body.run(0, n);
            return;
        }
        CountDownLatch done = new CountDownLatch(nth - 1);
        RuntimeException[] failure = new RuntimeException[1];
        for (int i = 1; i < nth; i++) {
            int from = (int) ((long) n * i / nth), to = (int) ((long) n * (i + 1) / nth);
            inboxes[i - 1].add(() -> {
                try {
                    body.run(from, to);
                } catch (RuntimeException e) {
                    failure[0] = e;
                } finally {
                    done.countDown();
                }
            });
        }
        body.run(0, n / nth);
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for workers", e);
        }
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    @Override
    public void close() {
        for (Thread w : workers) {
            w.interrupt();
        }
    }
}
