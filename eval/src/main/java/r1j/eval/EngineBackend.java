package r1j.eval;

import java.io.IOException;
import java.util.List;
import r1j.chat.ChatMessage;
import r1j.engine.Choice;
import r1j.engine.Engine;
import r1j.engine.EngineException;
import r1j.engine.GenerationRequest;
import r1j.engine.Prompt;
import r1j.sample.SamplerSettings;

/**
 * Samples on an in-process {@link Engine}. Every caller's request goes to the engine at once, so the scheduler
 * decodes all running samples in one continuous batch; the engine's slots and queue bound how many run together.
 */
public final class EngineBackend implements Backend {
    /** The finish reason of a sample whose prompt does not fit the engine's context. */
    public static final String PROMPT_TOO_LONG = "prompt_too_long";

    private final Engine engine;
    private final boolean owned;

    /** @param owned whether {@link #close()} closes the engine */
    public EngineBackend(Engine engine, boolean owned) {
        this.engine = engine;
        this.owned = owned;
    }

    @Override
    public String modelName() {
        return engine.modelName();
    }

    @Override
    public Generation generate(Request r) throws IOException, InterruptedException {
        SamplerSettings sampling = SamplerSettings.r1Defaults().withTemperature(r.temperature()).withTopP(r.topP())
                .withSeed(r.seed());
        int room = engine.contextSize() - engine.tokenize(Prompt.chat(List.of(ChatMessage.user(r.userMessage())))).length;
        if (room < 1) {
            // The model cannot read the problem, now or on a retry: a wrong sample, marked so, not a failure to redo.
            return new Generation("", "", 0, PROMPT_TOO_LONG);
        }
        GenerationRequest request = GenerationRequest.of(Prompt.chat(List.of(ChatMessage.user(r.userMessage()))))
                .withSampling(sampling).withMaxTokens(Math.min(r.maxTokens(), room));
        Choice c;
        try {
            c = engine.generate(request).first();
        } catch (EngineException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (c.error() != null) {
            throw new IOException("generation failed: " + c.error());
        }
        return new Generation(c.reasoning(), c.answer(), c.usage().completionTokens(),
                c.finishReason().name().toLowerCase(java.util.Locale.ROOT));
    }

    @Override
    public void close() {
        if (owned) {
            engine.close();
        }
    }
}
