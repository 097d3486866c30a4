package r1j.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import r1j.engine.Choice;
import r1j.engine.Completion;
import r1j.engine.FinishReason;
import r1j.engine.Usage;
import r1j.sample.SampledToken;
import r1j.sample.TokenLogprob;
import r1j.tokenizer.Tokenizer;

/**
 * The JSON shapes of responses and stream chunks, as DeepSeek's {@code deepseek-reasoner} and OpenAI's APIs send
 * them: {@code message.reasoning_content} beside {@code message.content}; chunks whose delta carries
 * {@code reasoning_content} (with {@code content: null}) during the thought and {@code content} after it; usage with
 * {@code completion_tokens_details.reasoning_tokens} and {@code prompt_tokens_details.cached_tokens} (and DeepSeek's
 * {@code prompt_cache_hit_tokens}/{@code prompt_cache_miss_tokens}).
 */
final class ResponseShapes {

    static final ObjectMapper JSON = new ObjectMapper();

    private final Tokenizer tokenizer;
    private final String model;

    ResponseShapes(Tokenizer tokenizer, String model) {
        this.tokenizer = tokenizer;
        this.model = model;
    }

    /** The whole answer of a non-streamed chat completion without tools. */
    ObjectNode chatCompletion(String id, long created, Completion c) {
        return chatCompletion(id, created, c, ToolSet.NONE);
    }

    /**
     * The whole answer of a non-streamed chat completion: an answer that is a call of {@code tools}' functions comes
     * back as {@code message.tool_calls} with {@code content: null} and finish reason {@code tool_calls}.
     */
    ObjectNode chatCompletion(String id, long created, Completion c, ToolSet tools) {
        ObjectNode root = header(id, "chat.completion", created);
        ArrayNode choices = root.putArray("choices");
        for (Choice ch : c.choices()) {
            ObjectNode o = choices.addObject();
            o.put("index", ch.index());
            ObjectNode msg = o.putObject("message");
            msg.put("role", "assistant");
            List<ToolSet.Call> calls = tools.active() && ch.finishReason() == FinishReason.STOP
                    ? tools.parseCalls(ch.answer()) : List.of();
            msg.put("content", calls.isEmpty() ? ch.answer() : null);
            msg.put("reasoning_content", ch.reasoning().isEmpty() ? null : ch.reasoning());
            if (!calls.isEmpty()) {
                msg.set("tool_calls", toolCalls(calls, false));
            }
            o.set("logprobs", ch.logprobs().isEmpty() ? null : chatLogprobs(ch.logprobs()));
            o.put("finish_reason", calls.isEmpty() ? finishReason(ch.finishReason()) : TOOL_CALLS);
        }
        root.set("usage", usage(c.usage()));
        return root;
    }

    /** The whole answer of a non-streamed text completion: the raw generated text, thought included. */
    ObjectNode textCompletion(String id, long created, Completion c) {
        ObjectNode root = header(id, "text_completion", created);
        ArrayNode choices = root.putArray("choices");
        for (Choice ch : c.choices()) {
            ObjectNode o = choices.addObject();
            o.put("index", ch.index());
            o.put("text", rawText(ch));
            o.set("logprobs", ch.logprobs().isEmpty() ? null : textLogprobs(ch.logprobs()));
            o.put("finish_reason", finishReason(ch.finishReason()));
        }
        root.set("usage", usage(c.usage()));
        return root;
    }

    /** A chat chunk for one choice: {@code role} on the first, then reasoning or content pieces, then the finish. */
    ObjectNode chatChunk(String id, long created, int index, String role, String reasoning, String content,
                         List<SampledToken> logprobs, FinishReason finish) {
        ObjectNode root = header(id, "chat.completion.chunk", created);
        ObjectNode o = root.putArray("choices").addObject();
        o.put("index", index);
        ObjectNode delta = o.putObject("delta");
        if (role != null) {
            delta.put("role", role);
        }
        delta.put("content", content);
        delta.put("reasoning_content", reasoning);
        o.set("logprobs", logprobs == null || logprobs.isEmpty() ? null : chatLogprobs(logprobs));
        o.put("finish_reason", finish == null ? null : finishReason(finish));
        return root;
    }

    /** The finish reason of a choice that ends in tool calls. */
    static final String TOOL_CALLS = "tool_calls";

    /**
     * OpenAI's {@code tool_calls} array; in a stream delta ({@code indexed}) each call also carries its
     * {@code index}.
     */
    static ArrayNode toolCalls(List<ToolSet.Call> calls, boolean indexed) {
        ArrayNode a = JSON.createArrayNode();
        for (int i = 0; i < calls.size(); i++) {
            ToolSet.Call c = calls.get(i);
            ObjectNode o = a.addObject();
            if (indexed) {
                o.put("index", i);
            }
            o.put("id", c.id());
            o.put("type", "function");
            ObjectNode f = o.putObject("function");
            f.put("name", c.name());
            f.put("arguments", c.arguments());
        }
        return a;
    }

    /** The last chunk of a choice whose answer was held back and is a set of tool calls. */
    ObjectNode toolCallChunk(String id, long created, int index, List<ToolSet.Call> calls) {
        ObjectNode root = header(id, "chat.completion.chunk", created);
        ObjectNode o = root.putArray("choices").addObject();
        o.put("index", index);
        ObjectNode delta = o.putObject("delta");
        delta.putNull("content");
        delta.set("tool_calls", toolCalls(calls, true));
        o.putNull("logprobs");
        o.put("finish_reason", TOOL_CALLS);
        return root;
    }

    /**
     * A chunk carrying one piece of a streamed tool call, OpenAI's incremental shape: the first piece of a call has
     * its {@code id}, {@code type} and {@code function.name}; every piece may add to {@code function.arguments}.
     *
     * @param callId  the call's id on its first piece, else {@code null}
     * @param name    the function name on the first piece, else {@code null}
     * @param finish  the finish reason on the last chunk ({@code tool_calls}, or e.g. {@code length}), else {@code null}
     */
    ObjectNode toolCallDeltaChunk(String id, long created, int index, String callId, String name, String arguments,
                                  String finish) {
        ObjectNode root = header(id, "chat.completion.chunk", created);
        ObjectNode o = root.putArray("choices").addObject();
        o.put("index", index);
        ObjectNode delta = o.putObject("delta");
        delta.putNull("content");
        ObjectNode call = delta.putArray("tool_calls").addObject();
        call.put("index", 0);
        if (callId != null) {
            call.put("id", callId);
            call.put("type", "function");
        }
        ObjectNode f = call.putObject("function");
        if (name != null) {
            f.put("name", name);
        }
        f.put("arguments", arguments);
        o.putNull("logprobs");
        o.put("finish_reason", finish);
        return root;
    }

    /** A text-completion chunk for one choice. */
    ObjectNode textChunk(String id, long created, int index, String text, List<SampledToken> logprobs, FinishReason finish) {
        ObjectNode root = header(id, "text_completion", created);
        ObjectNode o = root.putArray("choices").addObject();
        o.put("index", index);
        o.put("text", text);
        o.set("logprobs", logprobs == null || logprobs.isEmpty() ? null : textLogprobs(logprobs));
        o.put("finish_reason", finish == null ? null : finishReason(finish));
        return root;
    }

    /** The last chunk when {@code stream_options.include_usage} is set: no choices, the request's usage. */
    ObjectNode usageChunk(String id, String object, long created, Usage usage) {
        ObjectNode root = header(id, object, created);
        root.putArray("choices");
        root.set("usage", usage(usage));
        return root;
    }

    ObjectNode usage(Usage u) {
        ObjectNode o = JSON.createObjectNode();
        o.put("prompt_tokens", u.promptTokens());
        o.put("completion_tokens", u.completionTokens());
        o.put("total_tokens", u.totalTokens());
        o.putObject("prompt_tokens_details").put("cached_tokens", u.cachedTokens());
        o.putObject("completion_tokens_details").put("reasoning_tokens", u.reasoningTokens());
        o.put("prompt_cache_hit_tokens", u.cachedTokens());
        o.put("prompt_cache_miss_tokens", u.promptTokens() - u.cachedTokens());
        return o;
    }

    /** OpenAI spells the engine's finish reasons {@code stop} and {@code length}; a cancelled or failed choice too. */
    static String finishReason(FinishReason r) {
        return r.wireName();
    }

    private ObjectNode header(String id, String object, long created) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", id);
        root.put("object", object);
        root.put("created", created);
        root.put("model", model);
        root.put("system_fingerprint", "r1j");
        return root;
    }

    /** Everything the choice generated, decoded as the model wrote it ({@code </think>} and the thought included). */
    private String rawText(Choice ch) {
        int[] t = ch.tokens();
        int end = t.length;
        if (end > 0 && tokenizer.isEndOfGeneration(t[end - 1])) {
            end--;
        }
        String text = tokenizer.decode(java.util.Arrays.copyOf(t, end));
        // A matched stop string was generated but is not part of the answer.
        String answer = ch.answer();
        if (ch.finishReason() == FinishReason.STOP && !answer.isEmpty() && !text.endsWith(answer)) {
            int at = text.lastIndexOf(answer);
            if (at >= 0) {
                text = text.substring(0, at + answer.length());
            }
        }
        return text;
    }

    private ObjectNode chatLogprobs(List<SampledToken> tokens) {
        ObjectNode o = JSON.createObjectNode();
        ArrayNode content = o.putArray("content");
        for (SampledToken t : tokens) {
            ObjectNode e = tokenEntry(t.token(), t.logprob());
            ArrayNode top = e.putArray("top_logprobs");
            for (TokenLogprob alt : t.top()) {
                top.add(tokenEntry(alt.token(), alt.logprob()));
            }
            content.add(e);
        }
        o.set("refusal", null);
        return o;
    }

    private ObjectNode textLogprobs(List<SampledToken> tokens) {
        ObjectNode o = JSON.createObjectNode();
        ArrayNode text = o.putArray("tokens");
        ArrayNode lps = o.putArray("token_logprobs");
        ArrayNode tops = o.putArray("top_logprobs");
        for (SampledToken t : tokens) {
            text.add(piece(t.token()));
            lps.add(t.logprob());
            ObjectNode top = tops.addObject();
            for (TokenLogprob alt : t.top()) {
                top.put(piece(alt.token()), alt.logprob());
            }
        }
        return o;
    }

    private ObjectNode tokenEntry(int token, float logprob) {
        ObjectNode e = JSON.createObjectNode();
        byte[] bytes = tokenizer.tokenBytes(token, true);
        e.put("token", new String(bytes, StandardCharsets.UTF_8));
        e.put("logprob", logprob);
        ArrayNode b = e.putArray("bytes");
        for (byte x : bytes) {
            b.add(x & 0xff);
        }
        return e;
    }

    private String piece(int token) {
        return new String(tokenizer.tokenBytes(token, true), StandardCharsets.UTF_8);
    }
}
