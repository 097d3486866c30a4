package r1j.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import r1j.sample.SampledToken;

/**
 * A submitted request: cancel it, or wait for its {@link Completion}. The handle also collects the streamed text,
 * so {@link #await()} returns the whole result whatever listener was given to {@link Engine#submit}.
 */
public final class GenerationHandle {

    private final int[] promptTokens;
    private final GenerationListener delegate;
    private final Runnable wakeScheduler;
    private final ChoiceRecord[] records;
    private final CompletableFuture<Completion> result = new CompletableFuture<>();
    private volatile boolean cancelled;
    private Throwable listenerFailure;
    private int remaining;

    GenerationHandle(int[] promptTokens, int n, boolean logprobs, GenerationListener delegate, Runnable wakeScheduler) {
        this.promptTokens = promptTokens;
        this.delegate = delegate;
        this.wakeScheduler = wakeScheduler;
        this.records = new ChoiceRecord[n];
        for (int i = 0; i < n; i++) {
            records[i] = new ChoiceRecord(logprobs);
        }
        this.remaining = n;
    }

    /**
     * Asks the engine to stop this request. Its sequences end with {@link FinishReason#CANCELLED} before the next
     * forward step and their slots are free again; events already under way may still arrive. Idempotent.
     */
    public void cancel() {
        cancelled = true;
        wakeScheduler.run();
    }

    /** Whether {@link #cancel()} was called. */
    public boolean isCancelled() {
        return cancelled;
    }

    /** Whether every choice has ended. */
    public boolean isDone() {
        return result.isDone();
    }

    /** The prompt as the engine tokenized it (BOS included). */
    public int[] promptTokens() {
        return promptTokens.clone();
    }

    /** Completes when every choice has ended (cancelled or failed ones included). */
    public CompletableFuture<Completion> future() {
        return result.copy();
    }

    /** Waits until every choice has ended. */
    public Completion await() throws InterruptedException {
        try {
            return result.get();
        } catch (ExecutionException | CancellationException e) {
            throw new IllegalStateException("the completion future failed, which the engine never does", e);
        }
    }

    /**
     * Waits at most {@code timeout} for every choice to end.
     *
     * @throws TimeoutException when the request is still running (it keeps running; {@link #cancel()} it if needed)
     */
    public Completion await(Duration timeout) throws InterruptedException, TimeoutException {
        try {
            return result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | CancellationException e) {
            throw new IllegalStateException("the completion future failed, which the engine never does", e);
        }
    }

    // ---- events from the scheduler thread: record, then forward to the caller's listener. A listener that throws
    // (a client gone away) cancels the request; the scheduler never sees its exception. ----

    void reasoning(int choice, String text) {
        records[choice].reasoning.append(text);
        try {
            delegate.onReasoning(choice, text);
        } catch (RuntimeException e) {
            listenerFailed(e);
        }
    }

    void answer(int choice, String text) {
        records[choice].answer.append(text);
        try {
            delegate.onAnswer(choice, text);
        } catch (RuntimeException e) {
            listenerFailed(e);
        }
    }

    void token(int choice, int id, SampledToken logprob) {
        records[choice].addToken(id, logprob);
        try {
            delegate.onToken(choice, id, logprob);
        } catch (RuntimeException e) {
            listenerFailed(e);
        }
    }

    void error(int choice, Throwable error) {
        records[choice].error = error.getMessage() == null ? error.toString() : error.getMessage();
        try {
            delegate.onError(choice, error);
        } catch (RuntimeException e) {
            listenerFailed(e);
        }
    }

    /** Records the end of one choice and tells the listener; completes the future after the last choice. */
    void done(int choice, FinishReason reason, Usage usage) {
        ChoiceRecord r = records[choice];
        if (r.reason != null) {
            return;
        }
        r.reason = reason;
        r.usage = usage;
        try {
            delegate.onDone(choice, reason, usage);
        } catch (RuntimeException e) {
            listenerFailed(e);
        }
        if (--remaining == 0) {
            result.complete(toCompletion());
        }
    }

    /** The listener's first failure, or {@code null}. */
    Throwable listenerFailure() {
        return listenerFailure;
    }

    private void listenerFailed(RuntimeException e) {
        if (listenerFailure == null) {
            listenerFailure = e;
        }
        cancelled = true;
    }

    boolean choiceDone(int choice) {
        return records[choice].reason != null;
    }

    private Completion toCompletion() {
        List<Choice> choices = new ArrayList<>(records.length);
        for (int i = 0; i < records.length; i++) {
            ChoiceRecord r = records[i];
            choices.add(new Choice(i, r.reasoning.toString(), r.answer.toString(), r.reason, r.usage,
                    Arrays.copyOf(r.tokens, r.tokenCount), r.logprobs == null ? List.of() : r.logprobs, r.error));
        }
        return new Completion(promptTokens, choices);
    }

    /** What one choice produced so far. Touched only by the scheduler thread until the future completes. */
    private static final class ChoiceRecord {
        final StringBuilder reasoning = new StringBuilder();
        final StringBuilder answer = new StringBuilder();
        final List<SampledToken> logprobs;
        int[] tokens = new int[64];
        int tokenCount;
        FinishReason reason;
        Usage usage;
        String error;

        ChoiceRecord(boolean logprobs) {
            this.logprobs = logprobs ? new ArrayList<>() : null;
        }

        void addToken(int id, SampledToken logprob) {
            if (tokenCount == tokens.length) {
                tokens = Arrays.copyOf(tokens, tokenCount * 2);
            }
            tokens[tokenCount++] = id;
            if (logprobs != null && logprob != null) {
                logprobs.add(logprob);
            }
        }
    }
}
