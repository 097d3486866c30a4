package r1j.cli.chat;

import r1j.chat.ChatMessage;
import r1j.chat.ReasoningEvent;
import r1j.engine.Choice;
import r1j.engine.Engine;
import r1j.engine.FinishReason;
import r1j.engine.GenerationHandle;
import r1j.engine.GenerationListener;
import r1j.engine.GenerationRequest;
import r1j.engine.Usage;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * Runs chat turns (and one-shot generations) on an {@link Engine}. The engine calls listeners on its scheduler thread, which must not wait on
 * a terminal, so events go through a queue and are drawn on the chat's own thread.
 */
public final class EngineTurnRunner implements ChatRepl.TurnRunner {

    private final Engine engine;
    private final boolean ignoreEos;
    private volatile GenerationHandle running;
    private volatile boolean cancelRequested;

    /**
     * @param engine    the loaded model
     * @param ignoreEos keep generating past end-of-generation tokens (benchmarks and tests)
     */
    public EngineTurnRunner(Engine engine, boolean ignoreEos) {
        this.engine = engine;
        this.ignoreEos = ignoreEos;
    }

    /** An item of the queue between the scheduler thread and the chat thread. */
    private sealed interface Item {
        record Text(ReasoningEvent event) implements Item {
        }

        record End() implements Item {
        }
    }

    @Override
    public ChatRepl.Reply run(List<ChatMessage> messages, ChatSettings settings, Consumer<ReasoningEvent> events) {
        return generate(GenerationRequest.chat(messages).withSampling(settings.sampling())
                .withThinkingBudget(settings.effectiveBudget()).withMaxTokens(settings.maxTokens())
                .withIgnoreEos(ignoreEos), events);
    }

    /**
     * Runs any one-choice request, streaming its text to {@code events} on the calling thread.
     *
     * @throws IllegalStateException when generation fails (the message says why)
     */
    public ChatRepl.Reply generate(GenerationRequest request, Consumer<ReasoningEvent> events) {
        BlockingQueue<Item> queue = new LinkedBlockingQueue<>();
        GenerationListener listener = new GenerationListener() {
            @Override
            public void onReasoning(int choice, String text) {
                queue.add(new Item.Text(new ReasoningEvent.Reasoning(text)));
            }

            @Override
            public void onAnswer(int choice, String text) {
                queue.add(new Item.Text(new ReasoningEvent.Answer(text)));
            }

            @Override
            public void onDone(int choice, FinishReason reason, Usage usage) {
                queue.add(new Item.End());
            }
        };
        cancelRequested = false;
        GenerationHandle handle = engine.submit(request, listener);
        running = handle;
        if (cancelRequested) {
            handle.cancel();
        }
        try {
            for (Item item = queue.take(); !(item instanceof Item.End); item = queue.take()) {
                events.accept(((Item.Text) item).event());
            }
            Choice choice = handle.await().first();
            if (choice.finishReason() == FinishReason.ERROR) {
                throw new IllegalStateException("generation failed: " + choice.error());
            }
            return new ChatRepl.Reply(choice.reasoning(), choice.answer(), choice.usage(), choice.finishReason());
        } catch (InterruptedException e) {
            handle.cancel();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while generating", e);
        } finally {
            running = null;
        }
    }

    @Override
    public void cancel() {
        cancelRequested = true;
        GenerationHandle handle = running;
        if (handle != null) {
            handle.cancel();
        }
    }
}
