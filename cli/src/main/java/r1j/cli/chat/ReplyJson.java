package r1j.cli.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import r1j.engine.Usage;

/**
 * The one-line JSON of {@code r1j generate --json}:
 * {@code {"reasoning": "…", "answer": "…", "finish_reason": "stop", "usage": {…}}}, with usage named as in the
 * OpenAI/DeepSeek API ({@code prompt_tokens}, {@code completion_tokens}, {@code total_tokens},
 * {@code completion_tokens_details.reasoning_tokens}, {@code prompt_tokens_details.cached_tokens}) plus timings.
 */
public final class ReplyJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReplyJson() {
    }

    /** @return the reply as one line of JSON, no trailing newline */
    public static String format(ChatRepl.Reply reply) {
        ObjectNode root = JSON.createObjectNode();
        root.put("reasoning", reply.reasoning());
        root.put("answer", reply.answer());
        root.put("finish_reason", reply.reason().wireName());
        Usage u = reply.usage();
        ObjectNode usage = root.putObject("usage");
        usage.put("prompt_tokens", u.promptTokens());
        usage.put("completion_tokens", u.completionTokens());
        usage.put("total_tokens", u.totalTokens());
        usage.putObject("prompt_tokens_details").put("cached_tokens", u.cachedTokens());
        usage.putObject("completion_tokens_details").put("reasoning_tokens", u.reasoningTokens());
        usage.put("time_to_first_token_ms", u.timeToFirstToken().toMillis());
        usage.put("elapsed_ms", u.elapsed().toMillis());
        usage.put("tokens_per_second", Math.round(u.decodeTokensPerSecond() * 10) / 10.0);
        return root.toString();
    }
}
