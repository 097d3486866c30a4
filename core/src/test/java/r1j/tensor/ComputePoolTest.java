package r1j.tensor;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ComputePoolTest {

    @Test
    void run_coversEveryIndexExactlyOnce_forManyJobs() {
        try (ComputePool pool = new ComputePool(3)) {
            for (int nth : new int[] {1, 2, 3, 5, 64}) {
                for (int rep = 0; rep < 200; rep++) {
                    AtomicIntegerArray hits = new AtomicIntegerArray(nth);
                    int[] seenNth = new int[nth];
                    pool.run(nth, (ith, total) -> {
                        hits.incrementAndGet(ith);
                        seenNth[ith] = total;
                    });
                    for (int i = 0; i < nth; i++) {
                        assertThat(hits.get(i)).as("index %d of %d", i, nth).isEqualTo(1);
                        assertThat(seenNth[i]).isEqualTo(nth);
                    }
                }
            }
        }
    }

    @Test
    void run_usesWorkerThreadsAsWellAsTheCaller() {
        try (ComputePool pool = new ComputePool(2)) {
            java.util.Set<Thread> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
            // Each slice waits until another thread has taken a slice too (a condition, not a fixed spin that a
            // loaded machine could outlast before the worker wakes); the ceiling only stops a broken pool hanging.
            long ceiling = System.nanoTime() + 60_000_000_000L;
            pool.run(2, (ith, nth) -> {
                threads.add(Thread.currentThread());
                while (threads.size() < 2 && System.nanoTime() < ceiling) Thread.onSpinWait();
            });
            assertThat(threads).hasSize(2);
        }
    }

    @Test
    void run_propagatesWorkerExceptionToCaller_afterOtherIndicesFinish() {
        try (ComputePool pool = new ComputePool(3)) {
            AtomicInteger finished = new AtomicInteger();
            assertThatThrownBy(() -> pool.run(6, (ith, nth) -> {
                if (ith == 4) throw new IllegalStateException("boom in slice 4");
                finished.incrementAndGet();
            })).isInstanceOf(IllegalStateException.class).hasMessage("boom in slice 4");
            assertThat(finished.get()).isEqualTo(5);
            // The pool stays usable after a failed job.
            AtomicInteger count = new AtomicInteger();
            pool.run(4, (ith, nth) -> count.incrementAndGet());
            assertThat(count.get()).isEqualTo(4);
        }
    }

    @Test
    void run_nestedCallRunsInlineInsteadOfDeadlocking() {
        try (ComputePool pool = new ComputePool(2)) {
            AtomicInteger inner = new AtomicInteger();
            pool.run(2, (ith, nth) -> pool.run(3, (i, n) -> inner.incrementAndGet()));
            assertThat(inner.get()).isEqualTo(6);
        }
    }

    @Test
    void constructorAndRun_rejectBadArguments() {
        assertThatThrownBy(() -> new ComputePool(0)).hasMessageContaining("at least 1 thread");
        ComputePool pool = new ComputePool(1);
        assertThatThrownBy(() -> pool.run(0, (i, n) -> { })).hasMessageContaining("nth must be at least 1");
        pool.close();
        assertThatThrownBy(() -> pool.run(1, (i, n) -> { })).hasMessageContaining("closed");
    }

    @Test
    void shared_isOneThreadPerProcessor() {
        assertThat(ComputePool.shared().threads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(ComputePool.shared()).isSameAs(ComputePool.shared());
    }
}
