package r1j.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import r1j.engine.FinishReason;
import r1j.engine.GenerationHandle;
import r1j.engine.GenerationListener;
import r1j.engine.Usage;
import r1j.sample.SampledToken;

/**
 * Streams one request's events as server-sent events (OpenAI) or NDJSON lines (Ollama), through an {@link EventSink}. The engine calls the listener on its scheduler thread, which
 * must never block, so events go into a queue; the request's own virtual thread drains it and writes chunks. When a
 * write fails (the client went away) the request is cancelled at once, which frees its KV slots before the next
 * forward step. While nothing happens (queued behind others, a long prefill) the sink gets a keep-alive every few
 * seconds (an SSE comment), so a silent disconnect is noticed too.
 */
final class StreamSession implements GenerationListener {

    /** How long the writer waits for an event before it sends a keep-alive comment. */
    static final long KEEP_ALIVE_MILLIS = 2_000;

    /** What the writer thread receives. */
    sealed interface Event {
        int choice();
    }

    record Reasoning(int choice, String text) implements Event {
    }

    record Answer(int choice, String text) implements Event {
    }

    record Token(int choice, SampledToken logprob) implements Event {
    }

    record Done(int choice, FinishReason reason, Usage usage) implements Event {
    }

    /** Where the chunks go: the wire framing of one protocol. */
    interface EventSink {
        /** One chunk, a single line of JSON, sent at once. */
        void data(String json) throws IOException;

        /** Nothing happened for a while: prove the client is still there, if the framing has a way. */
        void keepAlive() throws IOException;

        /** After the last chunk. */
        void done() throws IOException;
    }

    /** Turns events into chunk JSON; differs between chat and text completions and between protocols. */
    interface ChunkFormat {
        /** The chunk opening choice {@code index} (the chat role), or null for none. */
        String start(int index);

        /** A piece of the thought, or null to leave it out. */
        String reasoning(int index, String text, List<SampledToken> logprobs);

        /** The chunk for a piece of answer, or {@code null} to hold it back until {@link #finish}. */
        String answer(int index, String text, List<SampledToken> logprobs);

        /** The chunk ending choice {@code index}, or null for none. */
        String finish(int index, FinishReason reason, List<SampledToken> logprobs);

        String usage(Usage usage);
    }

    private final LinkedBlockingQueue<Event> queue = new LinkedBlockingQueue<>();
    private volatile Usage usageSeen;

    @Override
    public void onReasoning(int choice, String text) {
        queue.add(new Reasoning(choice, text));
    }

    @Override
    public void onAnswer(int choice, String text) {
        queue.add(new Answer(choice, text));
    }

    @Override
    public void onToken(int choice, int tokenId, SampledToken logprob) {
        if (logprob != null) {
            queue.add(new Token(choice, logprob));
        }
    }

    @Override
    public void onDone(int choice, FinishReason reason, Usage usage) {
        queue.add(new Done(choice, reason, usage));
    }

    /**
     * Writes every event of {@code handle} (which has {@code n} choices) to {@code sse} until all choices are done,
     * then the usage chunk when asked for and the sink's end ({@code [DONE]} for SSE). On a write failure the request is cancelled and the
     * failure rethrown.
     *
     * @return whether the stream ended normally (false when the client went away)
     */
    boolean pump(GenerationHandle handle, int n, EventSink sse, ChunkFormat format, boolean includeUsage)
            throws InterruptedException {
        @SuppressWarnings("unchecked")
        List<SampledToken>[] pending = new List[n];
        for (int i = 0; i < n; i++) {
            pending[i] = new ArrayList<>();
        }
        try {
            for (int i = 0; i < n; i++) {
                send(sse, format.start(i));
            }
            int open = n;
            while (open > 0) {
                Event e = queue.poll(KEEP_ALIVE_MILLIS, TimeUnit.MILLISECONDS);
                if (e == null) {
                    sse.keepAlive();
                    continue;
                }
                List<SampledToken> lp = pending[e.choice()];
                switch (e) {
                    case Token t -> lp.add(t.logprob());
                    case Reasoning r -> {
                        send(sse, format.reasoning(r.choice(), r.text(), List.copyOf(lp)));
                        lp.clear();
                    }
                    case Answer a -> {
                        String chunk = format.answer(a.choice(), a.text(), List.copyOf(lp));
                        if (chunk != null) { // null: the format holds the answer back (tool calls)
                            send(sse, chunk);
                            lp.clear();
                        }
                    }
                    case Done d -> {
                        send(sse, format.finish(d.choice(), d.reason(), List.copyOf(lp)));
                        lp.clear();
                        open--;
                    }
                }
            }
            if (includeUsage) {
                Usage usage = handle.await().usage();
                usageSeen = usage;
                sse.data(format.usage(usage));
            }
            sse.done();
            return true;
        } catch (IOException clientGone) {
            handle.cancel();
            return false;
        } catch (InterruptedException e) {
            handle.cancel();
            throw e;
        }
    }

    /** Sends a chunk; a format returns null for an event its protocol does not show. */
    private static void send(EventSink sink, String chunk) throws IOException {
        if (chunk != null) {
            sink.data(chunk);
        }
    }

    /** The request's usage once the stream ended normally, else null (for the request log). */
    Usage usage() {
        return usageSeen;
    }
}
