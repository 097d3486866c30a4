package r1j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import r1j.engine.Engine;
import r1j.engine.GenerationHandle;
import r1j.engine.GenerationListener;
import r1j.engine.GenerationRequest;
import r1j.sample.SamplerSettings;

/**
 * Holds a live engine between forward steps so a test decides how far the other requests get, instead of racing
 * them. It runs one in-process request of its own whose listener, called on the scheduler thread during every step
 * that samples its next token, blocks until the test grants the step. Every live sequence advances in the same
 * batched step, so while the gate is shut nothing else generates either: a test can look at the engine's state, or
 * close a client connection, knowing that no request finished meanwhile. (Listeners must never block in production;
 * here blocking the scheduler is the point.)
 */
final class StepGate implements AutoCloseable {

    /** Long enough for any test to fail loudly rather than hang, short of surefire killing the run. */
    private static final long WAIT_SECONDS = 120;

    private final Semaphore granted = new Semaphore(0);
    private final Semaphore passed = new Semaphore(0);
    private final AtomicLong tokens = new AtomicLong();
    private final GenerationHandle handle;
    private volatile boolean open;

    private StepGate(Engine engine, int maxTokens) throws InterruptedException {
        GenerationListener listener = new GenerationListener() {
            @Override
            public void onToken(int choice, int tokenId, r1j.sample.SampledToken logprob) {
                tokens.incrementAndGet();
                if (open) {
                    return;
                }
                try {
                    granted.acquire();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                passed.release();
            }

            @Override
            public void onDone(int choice, r1j.engine.FinishReason reason, r1j.engine.Usage usage) {
                passed.release(); // a step() waiting on a gate that ended returns
            }
        };
        this.handle = engine.submit(GenerationRequest.text("gate").withSampling(SamplerSettings.greedy())
                .withMaxTokens(maxTokens).withIgnoreEos(true), listener);
        awaitTrue(() -> tokens.get() > 0, "the gate request's first token (the engine is now held)");
    }

    /**
     * Submits the gate request and returns once the engine is held at its first token.
     *
     * @param maxTokens how many steps the gate can hold at most (its own token budget, within one KV slot)
     */
    static StepGate shut(Engine engine, int maxTokens) throws InterruptedException {
        return new StepGate(engine, maxTokens);
    }

    /** Tokens the gate request has been given so far (each one counted in the engine's completion tokens). */
    long tokens() {
        return tokens.get();
    }

    /**
     * Lets the engine run one more forward step, then holds it again; returns once that step began.
     *
     * @return false when the gate request has ended (cancelled by an engine shutdown, or out of tokens): the engine
     *         then runs freely
     */
    boolean step() throws InterruptedException {
        if (handle.isDone()) {
            return false;
        }
        granted.release();
        assertThat(passed.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)).as("the engine took the granted step").isTrue();
        return !handle.isDone();
    }

    /** Lets the engine run freely again (the gate request keeps generating until closed). */
    void open() {
        open = true;
        granted.release(Integer.MAX_VALUE / 2);
    }

    /** Opens the gate and cancels its request. */
    @Override
    public void close() throws InterruptedException {
        open();
        handle.cancel();
        try {
            handle.await(Duration.ofSeconds(WAIT_SECONDS));
        } catch (TimeoutException e) {
            throw new AssertionError("the gate request did not end after cancel()", e);
        }
    }

    /** Waits (polling, never a fixed sleep in place of the condition) until {@code condition} holds. */
    static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + WAIT_SECONDS + " s waiting for " + what);
            }
            Thread.sleep(5);
        }
    }
}
