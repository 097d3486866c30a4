package r1j.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import r1j.grammar.JsonMatcher;
import r1j.grammar.TokenMasker;
import r1j.model.Batch;
import r1j.model.LanguageModel;
import r1j.sample.SampledToken;
import r1j.tokenizer.Tokenizer;

/**
 * Continuous batching on one platform thread that owns the model and the KV cache.
 *
 * <p>Each step: take new requests from the queue into free slots (reusing cached prefixes), gather one batch
 * ({@link StepPlan}: every decoding sequence's next token(s) first, then prefill chunks), run one forward pass, and
 * for every sequence whose last fed row has logits, sample its next token and stream the events. A request with {@code n} choices prefills its prompt once in
 * the lead's slot; the other choices then copy that KV prefix and sample from the same logits.
 *
 * <p>Cancelled requests leave before the next step and their slots are free (their KV kept for the prefix cache).
 */
final class Scheduler implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);

    private final LanguageModel model;
    private final Tokenizer tokenizer;
    private final SlotTable slots;
    private final StatsRecorder stats;
    private final LongSupplier clock;
    private final int vocab;
    private final int context;
    private final int[] closeThought;          // token ids of ThinkingBudget.CLOSE_TEXT

    private final RequestQueue queue;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>(); // run between steps (cache maintenance)
    private final List<Sequence> live = new ArrayList<>();

    // Per-step state, sized once.
    private final float[] logits;             // [parallel][vocab]
    private final StepPlan plan;
    private TokenMasker masker;               // built on the first constrained request
    private byte[][] tokenBytes;              // [vocab] bytes per token as the masker sees them

    private volatile boolean closing;
    private volatile Thread thread;

    Scheduler(LanguageModel model, Tokenizer tokenizer, EngineOptions options, SlotTable slots, StatsRecorder stats,
              LongSupplier clock, int[] closeThought) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.slots = slots;
        this.stats = stats;
        this.clock = clock;
        this.vocab = model.config().vocab();
        this.context = slots.contextLength();
        this.closeThought = closeThought.clone();
        this.queue = new RequestQueue(options.maxQueue(), stats);
        int parallel = slots.slots();
        this.logits = new float[parallel * vocab];
        this.plan = new StepPlan(parallel, options.batchTokens(), options.prefillChunk());
    }

    void start(Thread t) {
        thread = t;
        t.start();
    }

    /**
     * Queues a prepared request.
     *
     * @throws QueueFullException    when {@code maxQueue} requests already wait beyond the free slots
     * @throws EngineClosedException after {@link #close()}
     */
    void enqueue(RequestState r) {
        queue.offer(r, slots.available());
        wake();
    }

    /** Requests waiting for a slot. */
    int queueDepth() {
        return queue.depth();
    }

    void wake() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Stops after the current step, cancelling whatever is still queued or live. */
    void close() {
        queue.close();
        closing = true;
        wake();
    }

    @Override
    public void run() {
        try {
            while (!closing) {
                runTasks();
                admit();
                if (live.isEmpty()) {
                    LockSupport.park(this);
                    continue;
                }
                step();
                sweepFinished();
            }
        } catch (Throwable t) {
            LOG.error("the scheduler failed; every request ends with an error", t);
            failAll(t);
            throw t;
        } finally {
            queue.close();
            closing = true;
            runTasks();
            cancelEverything();
        }
    }

    /** Runs {@code task} on the scheduler thread between two steps. */
    void runBetweenSteps(Runnable task) {
        tasks.add(task);
        wake();
    }

    /** Whether the calling thread is the scheduler (where blocking on the engine would deadlock). */
    boolean isSchedulerThread() {
        return Thread.currentThread() == thread;
    }

    private void runTasks() {
        for (Runnable t; (t = tasks.poll()) != null; ) {
            try {
                t.run();
            } catch (RuntimeException e) {
                LOG.error("a maintenance task failed", e);
            }
        }
    }

    // ---- admission ----

    private void admit() {
        cancelLive();
        for (RequestState r; (r = queue.peek()) != null; ) {
            if (r.handle.isCancelled()) {
                queue.poll();
                finishUnadmitted(r, FinishReason.CANCELLED);
                continue;
            }
            if (slots.available() < r.n()) {
                break; // first come, first served: a request with n > 1 is not overtaken by smaller ones
            }
            queue.poll();
            try {
                place(r);
            } catch (RuntimeException e) {
                LOG.error("could not start a request", e);
                failRequest(r, e);
            }
        }
    }

    /** Gives the lead a slot (reusing a cached prefix) and every other choice an empty slot. */
    private void place(RequestState r) {
        SlotTable.Placement lead = slots.acquireFor(r.prompt);
        r.cachedTokens = lead.reusedTokens();
        if (lead.reusedTokens() > 0) {
            stats.prefixReused(lead.reusedTokens());
        }
        r.sequences = new Sequence[r.n()];
        for (int i = 0; i < r.n(); i++) {
            int slot = i == 0 ? lead.slot() : slots.acquireEmpty();
            Sequence s;
            try {
                s = new Sequence(r, i, slot, vocab, tokenizer.newStreamingDecoder(false), closeThought.length);
            } catch (RuntimeException e) {
                slots.release(slot, false);
                throw e;
            }
            s.sampler.acceptAll(r.prompt);
            if (i == 0) {
                s.prefill(r.prompt, lead.reusedTokens());
            } else {
                s.waitingForLead = true;
            }
            r.sequences[i] = s;
            live.add(s);
        }
    }

    // ---- one forward step ----

    private void step() {
        int rows = plan.plan(live);
        if (rows == 0) {
            throw new IllegalStateException("live sequences but nothing to compute: a scheduler bug");
        }
        Batch batch = plan.batch(rows, slots);
        long t0 = clock.getAsLong();
        try {
            model.forward(batch, slots.cache(), logits);
        } catch (RuntimeException e) {
            LOG.error("forward pass failed for {} rows", rows, e);
            for (int i = 0; i < plan.size(); i++) {
                failRequest(plan.sequence(i).owner, e);
            }
            return;
        }
        for (int i = 0; i < plan.size(); i++) {
            Sequence s = plan.sequence(i);
            slots.appended(s.slot, s.feed, s.feedPos, plan.count(i));
            s.feedPos += plan.count(i);
        }
        // Sampling may end or fail whole requests; the KV bookkeeping above is already complete for every row.
        int generated = 0;
        int row = 0;
        for (int i = 0; i < plan.size(); i++) {
            if (plan.wantsLogits(i)) {
                Sequence s = plan.sequence(i);
                if (!s.finished) {
                    generated += afterLogits(s, row);
                }
                row++;
            }
        }
        stats.step(generated, clock.getAsLong() - t0);
    }

    /** Handles the logits row of a sequence whose feed is done; returns how many tokens were sampled. */
    private int afterLogits(Sequence s, int row) {
        try {
            if (!s.prefilling) {
                return sampleNext(s, row);
            }
            s.prefilling = false;
            RequestState r = s.owner;
            int sampled = 0;
            for (Sequence c : r.sequences) {
                if (c != s) {
                    slots.copyPrefix(s.slot, c.slot, r.prompt.length);
                    c.waitingForLead = false;
                }
            }
            for (Sequence c : r.sequences) {
                if (c.budget.closeBeforeFirstToken(r.startsInReasoning)) {
                    c.resetFeed();
                    forceCloseThought(c);
                    finishAtMaxTokens(c);
                    checkRoom(c);
                } else {
                    sampled += sampleNext(c, row);
                }
            }
            return sampled;
        } catch (RuntimeException e) {
            LOG.error("generation failed for a request", e);
            failRequest(s.owner, e);
            return 0;
        }
    }

    /** Samples one token for {@code s} from logits row {@code row} and runs it through the pipeline. */
    private int sampleNext(Sequence s, int row) {
        RequestState r = s.owner;
        GenerationRequest q = r.request;
        int offset = row * vocab;
        long[] allowed = null;
        if (s.constrained()) {
            masker().mask(s.matcher, s.mask);
            allowed = s.mask;
        }
        int id;
        SampledToken lp = null;
        if (q.logprobs()) {
            lp = s.sampler.sample(logits, offset, q.topLogprobs(), allowed);
            id = lp.token();
        } else {
            id = s.sampler.sample(logits, offset, allowed);
        }
        if (allowed != null && !tokenizer.isEndOfGeneration(id)) {
            JsonMatcher next = s.matcher.advance(tokenBytes[id]);
            if (next == null) { // the mask only allows tokens the grammar accepts: a grammar without a way on
                throw new IllegalStateException("the output grammar allows no token after: " + s.parser.answer());
            }
            s.matcher = next;
        }
        s.resetFeed();
        appendToken(s, id, lp);
        if (s.finished) {
            return 1;
        }
        s.addFeed(id);
        if (s.budget.shouldCloseAfter(s.parser.inReasoning())) {
            forceCloseThought(s);
        }
        finishAtMaxTokens(s);
        checkRoom(s);
        return 1;
    }

    /**
     * The token masker for constrained requests, built on first use (a trie of the vocabulary: about a second for
     * 150k tokens), so engines that never see a constraint never pay for it.
     */
    private TokenMasker masker() {
        if (masker == null) {
            int n = tokenizer.vocabSize();
            byte[][] bytes = new byte[vocab][];
            for (int id = 0; id < vocab; id++) {
                // Special tokens never belong to JSON; ids past the tokenizer (padding logits) have no text.
                bytes[id] = id >= n || tokenizer.isSpecial(id) ? new byte[0] : tokenizer.tokenBytes(id, false);
            }
            int[] eog = java.util.stream.IntStream.range(0, n).filter(tokenizer::isEndOfGeneration).toArray();
            tokenBytes = bytes;
            masker = new TokenMasker(bytes, eog);
        }
        return masker;
    }

    /** Ends {@code s} with LENGTH once it holds the request's {@code maxTokens}. */
    private void finishAtMaxTokens(Sequence s) {
        if (!s.finished && reachedMaxTokens(s)) {
            finish(s, FinishReason.LENGTH);
        }
    }

    private static boolean reachedMaxTokens(Sequence s) {
        int max = s.owner.request.maxTokens();
        return max > 0 && s.completionTokens >= max;
    }

    /** Appends the thinking budget's closing tokens to the output and the feed. */
    private void forceCloseThought(Sequence s) {
        boolean lp = s.owner.request.logprobs();
        for (int id : closeThought) {
            if (s.finished || reachedMaxTokens(s)) { // the closing tokens count toward maxTokens too
                return;
            }
            s.sampler.accept(id);
            appendToken(s, id, lp ? new SampledToken(id, 0f, List.of()) : null);
            s.addFeed(id);
        }
    }

    /** Ends {@code s} with LENGTH when its slot cannot hold the tokens still to feed. */
    private void checkRoom(Sequence s) {
        if (!s.finished && slots.length(s.slot) + s.remainingFeed() > context) {
            finish(s, FinishReason.LENGTH);
        }
    }

    /** Records a token appended to {@code s} and ends the choice when the token or its text says so. */
    private void appendToken(Sequence s, int id, SampledToken lp) {
        stats.tokenAppended();
        boolean eog = !s.owner.request.ignoreEos() && tokenizer.isEndOfGeneration(id);
        if (s.append(id, lp, eog, clock.getAsLong())) {
            finish(s, FinishReason.STOP);
        }
    }

    // ---- ending sequences ----

    private void finish(Sequence s, FinishReason reason) {
        if (s.finished) {
            return;
        }
        s.finished = true;
        if (reason != FinishReason.ERROR) {
            try {
                s.flushText();
            } catch (RuntimeException e) {
                LOG.warn("could not flush the text of a finished sequence", e);
            }
        }
        Usage usage = s.usage(clock.getAsLong());
        slots.release(s.slot, reason != FinishReason.ERROR);
        recordFinished(s.owner, reason, usage); // stats first: a waiter woken by done() sees them complete
        s.owner.handle.done(s.choice, reason, usage);
    }

    private void recordFinished(RequestState r, FinishReason reason, Usage usage) {
        try {
            stats.choiceFinished(reason, usage);
        } catch (RuntimeException e) {
            LOG.warn("a stats listener failed", e);
        }
        if (--r.unfinished == 0) {
            stats.requestFinished();
        }
    }

    /** Ends a request that never got slots (cancelled while queued, or the engine closing). */
    private void finishUnadmitted(RequestState r, FinishReason reason) {
        Duration waited = Duration.ofNanos(clock.getAsLong() - r.submittedNanos);
        Usage usage = new Usage(r.prompt.length, 0, 0, 0, waited, waited);
        for (int i = 0; i < r.n(); i++) {
            recordFinished(r, reason, usage);
            r.handle.done(i, reason, usage);
        }
    }

    private void cancelLive() {
        for (Sequence s : live) {
            if (!s.finished && s.owner.handle.isCancelled()) {
                finish(s, FinishReason.CANCELLED);
            }
        }
        sweepFinished();
    }

    /** Ends every unfinished choice of {@code r} with ERROR (also those that never got a sequence). */
    private void failRequest(RequestState r, Throwable error) {
        Duration elapsed = Duration.ofNanos(clock.getAsLong() - r.submittedNanos);
        for (int i = 0; i < r.n(); i++) {
            Sequence s = r.sequences == null ? null : r.sequences[i];
            if (s != null && !s.finished) {
                r.handle.error(i, error);
                finish(s, FinishReason.ERROR);
            } else if (s == null && !r.handle.choiceDone(i)) {
                r.handle.error(i, error);
                Usage usage = new Usage(r.prompt.length, 0, 0, 0, elapsed, elapsed);
                recordFinished(r, FinishReason.ERROR, usage);
                r.handle.done(i, FinishReason.ERROR, usage);
            }
        }
    }

    private void sweepFinished() {
        live.removeIf(s -> s.finished);
    }

    private void failAll(Throwable t) {
        for (Sequence s : List.copyOf(live)) {
            if (!s.finished) {
                s.owner.handle.error(s.choice, t);
                finish(s, FinishReason.ERROR);
            }
        }
        sweepFinished();
    }

    private void cancelEverything() {
        for (Sequence s : live) {
            if (!s.finished) {
                finish(s, FinishReason.CANCELLED);
            }
        }
        live.clear();
        for (RequestState r; (r = queue.poll()) != null; ) {
            finishUnadmitted(r, FinishReason.CANCELLED);
        }
    }
}
