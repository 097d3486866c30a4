package r1j.engine;

import java.time.Duration;
import java.util.List;

/**
 * The finished result of one request: its choices in index order and the request's total usage.
 *
 * @param promptTokens the prompt as token ids (BOS included), as the engine fed it
 * @param choices      one per sample, index order
 */
public record Completion(int[] promptTokens, List<Choice> choices) {

    public Completion {
        choices = List.copyOf(choices);
    }

    /** The first choice (the only one when {@code n} was 1). */
    public Choice first() {
        return choices.getFirst();
    }

    /**
     * The request's usage as the OpenAI API counts it: prompt and cached tokens once, completion and reasoning
     * tokens summed over choices, time to first token the earliest, elapsed the longest.
     */
    public Usage usage() {
        int completion = 0;
        int reasoning = 0;
        Duration first = null;
        Duration elapsed = Duration.ZERO;
        for (Choice c : choices) {
            completion += c.usage().completionTokens();
            reasoning += c.usage().reasoningTokens();
            Duration t = c.usage().timeToFirstToken();
            first = first == null || t.compareTo(first) < 0 ? t : first;
            elapsed = c.usage().elapsed().compareTo(elapsed) > 0 ? c.usage().elapsed() : elapsed;
        }
        Usage u = choices.getFirst().usage();
        return new Usage(u.promptTokens(), u.cachedTokens(), completion, reasoning, first, elapsed);
    }
}
