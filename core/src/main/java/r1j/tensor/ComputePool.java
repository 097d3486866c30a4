package r1j.tensor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of platform threads for kernels, one per core, where the calling thread takes part as one of them.
 * {@link #run} hands out task indices {@code 0 .. nth-1}, each exactly once, and returns when all have finished;
 * a kernel splits its work statically by index ({@code ith} of {@code nth}).
 *
 * <p>Why not an {@code ExecutorService}: a forward step issues hundreds of short matrix products, so handing out a
 * job must cost microseconds. Workers spin briefly for the next job (the next matmul usually follows at once) and
 * then park; the caller is unparked by whichever thread finishes the last index.
 *
 * <p>One job runs at a time: concurrent callers queue on the pool's lock. A task that calls {@code run} again (on
 * this pool, from inside a task) runs the inner job's indices inline on its own thread instead of deadlocking.
 */
public final class ComputePool implements AutoCloseable {

    /** One unit of parallel work: runs slice {@code ith} of {@code nth}. */
    @FunctionalInterface
    public interface Task {
        void run(int ith, int nth);
    }

    /** Spin iterations before a waiting thread parks: long enough to bridge two back-to-back kernels. */
    private static final int SPINS = 20_000;

    private static volatile ComputePool shared;

    private final int threads;
    private final Thread[] workers;
    private final Object lock = new Object();
    private final ThreadLocal<Boolean> inside = ThreadLocal.withInitial(() -> false);
    private volatile Job job;
    private volatile boolean closed;

    private static final class Job {
        final Task task;
        final int nth;
        final Thread caller;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        final AtomicReference<Throwable> error = new AtomicReference<>();

        Job(Task task, int nth, Thread caller) {
            this.task = task;
            this.nth = nth;
            this.caller = caller;
        }
    }

    /**
     * A pool of {@code threads} participants: the caller plus {@code threads - 1} daemon worker threads.
     *
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public ComputePool(int threads) {
        if (threads < 1) throw new IllegalArgumentException("a compute pool needs at least 1 thread, got " + threads);
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            Thread t = Thread.ofPlatform().daemon().name("r1j-compute-" + (i + 1)).unstarted(this::workerLoop);
            workers[i] = t;
        }
        for (Thread t : workers) t.start();
    }

    /** The process-wide pool with one thread per available processor, created on first use. */
    public static ComputePool shared() {
        ComputePool p = shared;
        if (p == null) {
            synchronized (ComputePool.class) {
                p = shared;
                if (p == null) shared = p = new ComputePool(Runtime.getRuntime().availableProcessors());
            }
        }
        return p;
    }

    /** Number of participants, the caller included. */
    public int threads() { return threads; }

    /**
     * Runs {@code task.run(ith, nth)} for every {@code ith < nth}, each exactly once, spread over the pool's threads
     * and the caller; blocks until all are done. If any index throws, the others still run and the first
     * exception is rethrown here.
     *
     * @throws IllegalArgumentException if {@code nth < 1}
     * @throws IllegalStateException if the pool is closed
     */
    public void run(int nth, Task task) {
        if (nth < 1) throw new IllegalArgumentException("nth must be at least 1, got " + nth);
        if (closed) throw new IllegalStateException("compute pool is closed");
        if (inside.get() || nth == 1 || workers.length == 0) {
            runInline(nth, task);
            return;
        }
        synchronized (lock) {
            inside.set(true);
            try {
                Job j = new Job(task, nth, Thread.currentThread());
                job = j;
                for (Thread w : workers) LockSupport.unpark(w);
                work(j);
                awaitDone(j);
                rethrow(j.error.get());
            } finally {
                inside.set(false);
            }
        }
    }

    private static void runInline(int nth, Task task) {
        Throwable first = null;
        for (int i = 0; i < nth; i++) {
            try {
                task.run(i, nth);
            } catch (Throwable t) {
                if (first == null) first = t;
            }
        }
        rethrow(first);
    }

    private static void rethrow(Throwable t) {
        switch (t) {
            case null -> { }
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            default -> throw new IllegalStateException("compute task failed", t);
        }
    }

    /** Claims and runs indices of {@code j} until none are left. */
    private void work(Job j) {
        inside.set(true);
        try {
            int i;
            while ((i = j.next.getAndIncrement()) < j.nth) {
                try {
                    j.task.run(i, j.nth);
                } catch (Throwable t) {
                    j.error.compareAndSet(null, t);
                }
                if (j.done.incrementAndGet() == j.nth && Thread.currentThread() != j.caller) LockSupport.unpark(j.caller);
            }
        } finally {
            inside.set(false);
        }
    }

    private static void awaitDone(Job j) {
        int spins = 0;
        while (j.done.get() < j.nth) {
            if (spins < SPINS) {
                spins++;
                Thread.onSpinWait();
            } else {
                LockSupport.park(j);
            }
        }
    }

    private void workerLoop() {
        Job seen = null;
        int spins = 0;
        while (!closed) {
            Job j = job;
            if (j != null && j != seen) {
                seen = j;
                work(j);
                spins = 0;
            } else if (spins < SPINS) {
                spins++;
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
    }

    /** Stops the worker threads; further {@link #run} calls fail. The shared pool should not be closed. */
    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) LockSupport.unpark(w);
        for (Thread w : workers) {
            try {
                w.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
