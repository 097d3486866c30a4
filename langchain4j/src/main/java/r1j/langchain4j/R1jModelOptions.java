package r1j.langchain4j;

/**
 * Generation defaults of an r1j LangChain4j model; a request's own parameters (temperature, top-p, top-k, penalties,
 * max output tokens, stop sequences) override them.
 *
 * @param maxTokens      most tokens per answer, thought included, when the request sets none (−1: the context)
 * @param thinkingBudget most reasoning tokens before the engine closes the thought (−1 unlimited, 0 none)
 * @param seed           sampling seed, or {@code null} for a fresh random one per request
 * @param modelName      the name reported in responses
 */
public record R1jModelOptions(int maxTokens, int thinkingBudget, Long seed, String modelName) {

    public R1jModelOptions {
        if (maxTokens == 0 || maxTokens < -1) {
            throw new IllegalArgumentException("maxTokens " + maxTokens + " must be positive or -1 (the context)");
        }
        if (thinkingBudget < -1) {
            throw new IllegalArgumentException("thinkingBudget " + thinkingBudget + " must be -1 (unlimited) or more");
        }
    }

    /** No token limit but the context, unlimited thinking, random seeds, model name "r1j". */
    public static R1jModelOptions defaults() {
        return new R1jModelOptions(-1, -1, null, "r1j");
    }

    public R1jModelOptions withMaxTokens(int n) {
        return new R1jModelOptions(n, thinkingBudget, seed, modelName);
    }

    public R1jModelOptions withThinkingBudget(int n) {
        return new R1jModelOptions(maxTokens, n, seed, modelName);
    }

    public R1jModelOptions withSeed(long s) {
        return new R1jModelOptions(maxTokens, thinkingBudget, s, modelName);
    }

    public R1jModelOptions withModelName(String name) {
        return new R1jModelOptions(maxTokens, thinkingBudget, seed, name);
    }
}
