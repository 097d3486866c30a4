package r1j.engine;

import java.util.List;
import r1j.chat.ChatMessage;
import r1j.grammar.Grammar;
import r1j.sample.SamplerSettings;

/**
 * One generation job for {@link Engine#submit} or {@link Engine#generate}.
 *
 * @param prompt         what to continue (conversation, text or token ids)
 * @param sampling       how to pick tokens; choice {@code i} of {@code n} samples with seed {@code seed + i}, so a
 *                       fixed seed reproduces every choice
 * @param maxTokens      most tokens to append per choice (thought and answer together) before
 *                       {@link FinishReason#LENGTH}; −1 for no limit but the context
 * @param thinkingBudget most reasoning tokens before the engine closes the thought itself and lets the model answer;
 *                       −1 unlimited, 0 answer without thinking
 * @param stop           strings that end the answer (not the thought) when generated; never part of the output
 * @param n              independent choices of the same prompt, sharing its prefill
 * @param logprobs       whether to report each generated token's log-probability
 * @param topLogprobs    how many alternatives to report per token (0–20; needs {@code logprobs})
 * @param ignoreEos      keep generating past end-of-generation tokens (benchmarks, golden tests)
 * @param rawText        report every generated character as answer text, {@code <think>} tags included, instead
 *                       of splitting off the reasoning (the raw {@code /v1/completions} API); stop strings then apply
 *                       to all of it, and reasoning tokens are still counted
 * @param constraint     the grammar the answer must follow (constrained decoding), or {@code null} for free text: once
 *                       the reasoning has closed (by the model, or forced by the thinking budget) every token is
 *                       masked to those the grammar allows, and end of generation is allowed only when the value is
 *                       complete; the thought itself stays free
 */
public record GenerationRequest(Prompt prompt, SamplerSettings sampling, int maxTokens, int thinkingBudget,
                                List<String> stop, int n, boolean logprobs, int topLogprobs, boolean ignoreEos,
                                boolean rawText, Grammar constraint) {

    /** Most alternatives per token, as the OpenAI API allows. */
    public static final int MAX_TOP_LOGPROBS = 20;

    public GenerationRequest {
        java.util.Objects.requireNonNull(prompt, "prompt");
        java.util.Objects.requireNonNull(sampling, "sampling");
        stop = List.copyOf(stop);
        if (maxTokens < -1 || maxTokens == 0) {
            throw new IllegalArgumentException("max_tokens %d must be positive (or -1 for the context limit)".formatted(maxTokens));
        }
        if (thinkingBudget < -1) {
            throw new IllegalArgumentException(
                    "thinking budget %d is out of range; use -1 for unlimited, 0 for no thinking".formatted(thinkingBudget));
        }
        if (n < 1) {
            throw new IllegalArgumentException("n %d must be at least 1".formatted(n));
        }
        if (topLogprobs < 0 || topLogprobs > MAX_TOP_LOGPROBS) {
            throw new IllegalArgumentException("top_logprobs %d is out of range [0, %d]".formatted(topLogprobs, MAX_TOP_LOGPROBS));
        }
        if (topLogprobs > 0 && !logprobs) {
            throw new IllegalArgumentException("top_logprobs needs logprobs to be on");
        }
        for (String s : stop) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("stop strings must not be empty");
            }
        }
        if (constraint != null && rawText) {
            throw new IllegalArgumentException("an output constraint needs the answer split from the reasoning, not raw text");
        }
    }

    /** A request without an output constraint. */
    public GenerationRequest(Prompt prompt, SamplerSettings sampling, int maxTokens, int thinkingBudget,
                             List<String> stop, int n, boolean logprobs, int topLogprobs, boolean ignoreEos,
                             boolean rawText) {
        this(prompt, sampling, maxTokens, thinkingBudget, stop, n, logprobs, topLogprobs, ignoreEos, rawText, null);
    }

    /** A request that splits reasoning from answer (not {@code rawText}). */
    public GenerationRequest(Prompt prompt, SamplerSettings sampling, int maxTokens, int thinkingBudget,
                             List<String> stop, int n, boolean logprobs, int topLogprobs, boolean ignoreEos) {
        this(prompt, sampling, maxTokens, thinkingBudget, stop, n, logprobs, topLogprobs, ignoreEos, false, null);
    }

    /** A chat request with the R1 model card's sampling, no token limit but the context, one choice. */
    public static GenerationRequest chat(List<ChatMessage> messages) {
        return of(new Prompt.Chat(messages));
    }

    /** A raw-text request with the R1 model card's sampling, no token limit but the context, one choice. */
    public static GenerationRequest text(String text) {
        return of(new Prompt.Text(text));
    }

    /** A token-id request with the R1 model card's sampling, no token limit but the context, one choice. */
    public static GenerationRequest tokens(int... ids) {
        return of(new Prompt.Tokens(ids));
    }

    /** A request for {@code prompt} with the R1 model card's sampling, no limits, one choice, no logprobs. */
    public static GenerationRequest of(Prompt prompt) {
        return new GenerationRequest(prompt, SamplerSettings.r1Defaults(), -1, -1, List.of(), 1, false, 0, false, false, null);
    }

    public GenerationRequest withSampling(SamplerSettings sampling) {
        return new GenerationRequest(prompt, sampling, maxTokens, thinkingBudget, stop, n, logprobs, topLogprobs, ignoreEos, rawText, constraint);
    }

    public GenerationRequest withMaxTokens(int maxTokens) {
        return new GenerationRequest(prompt, sampling, maxTokens, thinkingBudget, stop, n, logprobs, topLogprobs, ignoreEos, rawText, constraint);
    }

    public GenerationRequest withThinkingBudget(int thinkingBudget) {
        return new GenerationRequest(prompt, sampling, maxTokens, thinkingBudget, stop, n, logprobs, topLogprobs, ignoreEos, rawText, constraint);
    }

    public GenerationRequest withStop(List<String> stop) {
        return new GenerationRequest(prompt, sampling, maxTokens, thinkingBudget, stop, n, logprobs, topLogprobs, ignoreEos, rawText, constraint);
    }

    public GenerationRequest withN(int n) {
        return new GenerationRequest(prompt, sampling, maxTokens, thinkingBudget, stop, n, logprobs, topLogprobs, ignoreEos, rawText, constraint);
    }

    /** Asks for logprobs of each token and {@code top} alternatives (0 for none). */
    public GenerationRequest withLogprobs(int top) {
        return new GenerationRequest(prompt, sampling, maxTokens, thinkingBudget, stop, n, true, top, ignoreEos, rawText, constraint);
    }

    /** Reports all generated text as answer, tags included (see {@code rawText}). */
    public GenerationRequest withRawText(boolean rawText) {
        return new GenerationRequest(prompt, sampling, maxTokens, thinkingBudget, stop, n, logprobs, topLogprobs, ignoreEos, rawText, constraint);
    }

    /** Constrains the answer to {@code grammar} ({@code null}: free text); see {@code constraint}. */
    public GenerationRequest withConstraint(Grammar grammar) {
        return new GenerationRequest(prompt, sampling, maxTokens, thinkingBudget, stop, n, logprobs, topLogprobs, ignoreEos, rawText, grammar);
    }

    public GenerationRequest withIgnoreEos(boolean ignoreEos) {
        return new GenerationRequest(prompt, sampling, maxTokens, thinkingBudget, stop, n, logprobs, topLogprobs, ignoreEos, rawText, constraint);
    }
}
