package r1j.eval;

import java.io.IOException;

/**
 * Where completions come from: the in-process engine ({@link EngineBackend}) or an OpenAI-compatible server
 * ({@link OpenAiEndpoint}). {@link #generate} blocks and is called from many virtual threads at once; a backend
 * batches or queues them as it can.
 */
public interface Backend extends AutoCloseable {

    /** One sample: what to ask and how to sample it. */
    record Request(String userMessage, float temperature, float topP, int maxTokens, long seed) {
        public Request {
            java.util.Objects.requireNonNull(userMessage, "userMessage");
            if (maxTokens < 1) {
                throw new IllegalArgumentException("max tokens %d must be at least 1".formatted(maxTokens));
            }
        }
    }

    /**
     * One completion.
     *
     * @param reasoning    the thought ("" when none)
     * @param answer       the text after the thought
     * @param tokens       completion tokens (thought and answer)
     * @param finishReason {@code stop}, {@code length}, … as the OpenAI API names them
     */
    record Generation(String reasoning, String answer, int tokens, String finishReason) {}

    /** The model's name for reports. */
    String modelName();

    /**
     * Generates one completion of a single user turn (no system prompt).
     *
     * @throws IOException when the backend fails for good (after its retries)
     */
    Generation generate(Request request) throws IOException, InterruptedException;

    @Override
    void close();
}
