package r1j.engine;

import java.time.Duration;
import java.util.random.RandomGeneratorFactory;
import r1j.chat.ReasoningEvent;
import r1j.chat.ReasoningParser;
import r1j.chat.ThinkingBudget;
import r1j.grammar.Grammar;
import r1j.grammar.JsonMatcher;
import r1j.grammar.TokenMasker;
import r1j.sample.SampledToken;
import r1j.sample.Sampler;
import r1j.tokenizer.StreamingDecoder;

/**
 * One choice of a request while it lives in a KV slot: the tokens still to feed through the model, and the
 * per-choice pipeline that turns sampled tokens into events (sampler → streaming UTF-8 decoder → reasoning parser →
 * stop matcher → listener), with its counters.
 *
 * <p>Phases: the lead sequence (choice 0) prefills the prompt; the other choices of the request wait for it and then
 * copy its KV prefix ({@link #waitingForLead}); then every choice decodes. The feed holds the tokens whose keys and
 * values the next forward steps must compute: a slice of the prompt, or the last sampled token followed by any
 * tokens the thinking budget forces.
 */
final class Sequence {

    /** Random generator algorithm, the one {@link Sampler#create} uses, so choice 0 samples as a plain sampler would. */
    static final String RANDOM_ALGORITHM = "L64X128MixRandom";

    final RequestState owner;
    final int choice;
    final int slot;
    final Sampler sampler;
    final StreamingDecoder decoder;
    final ReasoningParser parser;
    final ThinkingBudget budget;
    final StopMatcher stop;
    JsonMatcher matcher;        // where the answer is in the request's grammar; null without a constraint
    final long[] mask;          // [words] tokens the grammar allows next; null without a constraint

    int[] feed;                 // tokens to compute: the prompt while prefilling, else {@link #ownFeed}
    int feedPos;                // next index of {@code feed} to compute
    int feedEnd;                // end of the tokens to compute in {@code feed}
    final int[] ownFeed;        // [1 + forced tokens]: the sampled token and any forced ones
    boolean prefilling;         // the lead, until its prompt's last logits arrive
    boolean waitingForLead;     // a later choice, until the lead's prompt is in the cache
    boolean finished;
    int completionTokens;
    long firstTokenNanos = -1;

    Sequence(RequestState owner, int choice, int slot, int vocab, StreamingDecoder decoder, int forcedTokens) {
        this.owner = owner;
        this.choice = choice;
        this.slot = slot;
        GenerationRequest r = owner.request;
        this.sampler = new Sampler(r.sampling(), vocab, RandomGeneratorFactory.of(RANDOM_ALGORITHM).create(owner.seed + choice));
        this.decoder = decoder;
        this.parser = new ReasoningParser(owner.startsInReasoning, this::onText);
        this.budget = new ThinkingBudget(r.thinkingBudget());
        this.stop = new StopMatcher(r.stop());
        this.ownFeed = new int[1 + forcedTokens];
        Grammar g = r.constraint();
        this.matcher = g == null ? null : JsonMatcher.start(g);
        this.mask = g == null ? null : new long[TokenMasker.words(vocab)];
    }

    /** Whether the next token is constrained: the request has a grammar and the reasoning has closed. */
    boolean constrained() {
        return matcher != null && !parser.inReasoning();
    }

    /** Tokens still to compute. */
    int remainingFeed() {
        return feedEnd - feedPos;
    }

    /** Starts prefilling {@code prompt} from {@code from} (the tokens before are cached). */
    void prefill(int[] prompt, int from) {
        feed = prompt;
        feedPos = from;
        feedEnd = prompt.length;
        prefilling = true;
    }

    /** Clears the feed before this step's sampled and forced tokens are added. */
    void resetFeed() {
        feed = ownFeed;
        feedPos = 0;
        feedEnd = 0;
    }

    void addFeed(int token) {
        ownFeed[feedEnd++] = token;
    }

    /**
     * Records a token appended to this choice: tells the listener, then (unless it ends generation) runs its text
     * through decoder, parser and stop matcher.
     *
     * @param endOfGeneration whether the token ends generation (its text is not reported)
     * @param nowNanos        the clock now, for the time to first token
     * @return whether the choice ended: an end-of-generation token, or a stop string in the answer
     */
    boolean append(int id, SampledToken logprob, boolean endOfGeneration, long nowNanos) {
        completionTokens++;
        if (firstTokenNanos < 0) {
            firstTokenNanos = nowNanos;
        }
        owner.handle.token(choice, id, logprob);
        if (endOfGeneration) {
            return true;
        }
        String text = decoder.accept(id);
        if (!text.isEmpty()) {
            acceptText(text);
        }
        return stop.stopped();
    }

    /** Reports the text still held back (decoder, parser, stop matcher) at the end of the choice. */
    void flushText() {
        if (stop.stopped()) {
            return;
        }
        String held = finishText();
        if (!held.isEmpty()) {
            owner.handle.answer(choice, held);
        }
    }

    /** This choice's usage at {@code nowNanos}. */
    Usage usage(long nowNanos) {
        long first = firstTokenNanos < 0 ? nowNanos : firstTokenNanos;
        return new Usage(owner.prompt.length, owner.cachedTokens, completionTokens,
                Math.min(budget.reasoningTokens(), completionTokens),
                Duration.ofNanos(first - owner.submittedNanos), Duration.ofNanos(nowNanos - owner.submittedNanos));
    }

    /**
     * Takes a piece of decoded text: the parser always sees it (it tells the thinking budget whether the model is
     * thinking); the listener gets the parser's reasoning and answer, or in raw mode the text itself as answer.
     */
    private void acceptText(String text) {
        parser.accept(text);
        if (owner.request.rawText()) {
            answer(text);
        }
    }

    /** Ends the text: flushes the decoder and the parser; returns the answer text the stop matcher still held. */
    private String finishText() {
        String tail = decoder.flush();
        if (!tail.isEmpty()) {
            acceptText(tail);
        }
        parser.finish();
        return stop.flush();
    }

    /** Routes the parser's events: reasoning to the listener, answer through the stop matcher (unless raw). */
    private void onText(ReasoningEvent event) {
        if (owner.request.rawText()) {
            return;
        }
        switch (event) {
            case ReasoningEvent.Reasoning r -> owner.handle.reasoning(choice, r.text());
            case ReasoningEvent.Answer a -> answer(a.text());
        }
    }

    private void answer(String text) {
        String safe = stop.accept(text);
        if (!safe.isEmpty()) {
            owner.handle.answer(choice, safe);
        }
    }
}
