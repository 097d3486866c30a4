package r1j.langchain4j;

import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.Objects;
import java.util.Set;
import r1j.engine.Completion;
import r1j.engine.Engine;

/**
 * LangChain4j's {@code ChatModel} over an in-process {@link Engine}: one blocking generation per call. The thought is
 * {@code AiMessage.thinking()}, the answer {@code AiMessage.text()}; a JSON response format (with or without a schema)
 * is enforced by the engine's grammar, so AI services with structured return types always get parseable JSON; tool
 * specifications become tool execution requests ({@code REQUIRED} tool choice constrains the answer to a call).
 *
 * <pre>{@code
 * Engine engine = Engine.load(Path.of("model.gguf"), EngineOptions.defaults());
 * ChatModel model = new R1jChatModel(engine, R1jModelOptions.defaults().withThinkingBudget(512));
 * Assistant a = AiServices.create(Assistant.class, model);
 * }</pre>
 * The engine is the caller's: this model never closes it.
 */
public final class R1jChatModel implements ChatModel {

    private final Engine engine;
    private final R1jModelOptions options;

    public R1jChatModel(Engine engine, R1jModelOptions options) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        EngineRequests r = EngineRequests.of(request, options);
        Completion c;
        try {
            c = engine.generate(r.request());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the engine generated", e);
        }
        return r.response(c.first(), options.modelName());
    }

    @Override
    public Set<Capability> supportedCapabilities() {
        return Set.of(Capability.RESPONSE_FORMAT_JSON_SCHEMA);
    }
}
