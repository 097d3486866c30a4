package r1j.langchain4j;

import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.Objects;
import java.util.Set;
import r1j.engine.Choice;
import r1j.engine.Engine;
import r1j.engine.FinishReason;
import r1j.engine.GenerationHandle;
import r1j.engine.GenerationListener;
import r1j.engine.Usage;

/**
 * LangChain4j's {@code StreamingChatModel} over an in-process {@link Engine}: the thought streams as partial
 * thinking and the answer as partial responses; when tools are offered the answer is held back until the end, where
 * it becomes either tool execution requests or one partial response. The handler is called on the engine's scheduler
 * thread (keep it quick); {@code onCompleteResponse} and {@code onError} are called from a waiting virtual thread.
 */
public final class R1jStreamingChatModel implements StreamingChatModel {

    private final Engine engine;
    private final R1jModelOptions options;

    public R1jStreamingChatModel(Engine engine, R1jModelOptions options) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
        EngineRequests r;
        try {
            r = EngineRequests.of(request, options);
        } catch (RuntimeException e) {
            handler.onError(e);
            return;
        }
        boolean holdAnswer = !r.functions().isEmpty();
        GenerationHandle h = engine.submit(r.request(), new GenerationListener() {
            @Override
            public void onReasoning(int choice, String text) {
                handler.onPartialThinking(new PartialThinking(text));
            }

            @Override
            public void onAnswer(int choice, String text) {
                if (!holdAnswer) {
                    handler.onPartialResponse(text);
                }
            }

            @Override
            public void onDone(int choice, FinishReason reason, Usage usage) {
            }
        });
        Thread.ofVirtual().name("r1j-langchain4j-stream").start(() -> {
            try {
                Choice c = h.await().first();
                if (c.finishReason() == FinishReason.ERROR) {
                    handler.onError(new IllegalStateException("the engine failed while generating"));
                    return;
                }
                var response = r.response(c, options.modelName());
                if (holdAnswer && response.aiMessage().text() != null) {
                    handler.onPartialResponse(response.aiMessage().text());
                }
                handler.onCompleteResponse(response);
            } catch (InterruptedException e) {
                h.cancel();
                handler.onError(e);
            } catch (RuntimeException e) {
                handler.onError(e);
            }
        });
    }

    @Override
    public Set<Capability> supportedCapabilities() {
        return Set.of(Capability.RESPONSE_FORMAT_JSON_SCHEMA);
    }
}
