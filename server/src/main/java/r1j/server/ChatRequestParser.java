package r1j.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import r1j.chat.ChatMessage;
import r1j.chat.FunctionCalling;
import r1j.engine.GenerationRequest;
import r1j.engine.Prompt;
import r1j.grammar.Grammar;
import r1j.grammar.JsonSchemaException;
import r1j.sample.SamplerSettings;

/**
 * Reads and validates the JSON body of {@code POST /v1/chat/completions} and {@code POST /v1/completions}.
 *
 * <p>Every parameter is checked for its JSON type and range here, so a bad request is a 400 naming the parameter;
 * unknown parameters are refused rather than silently ignored. {@code response_format} and {@code tools} /
 * {@code tool_choice} (chat only) become the engine's output grammar: see {@link ToolSet}. Sampling defaults are the DeepSeek-R1 model card's (temperature 0.6, top-p 0.95).
 *
 * <p>Assistant messages may carry {@code reasoning_content}: as the DeepSeek API documents for multi-turn
 * conversations, earlier turns' reasoning is not fed back to the model, so it is accepted and left out of the prompt.
 */
final class ChatRequestParser {

    /** Parameters of either endpoint. */
    static final Set<String> KNOWN = Set.of("model", "messages", "prompt", "temperature", "top_p", "top_k", "min_p",
            "max_tokens", "max_completion_tokens", "stop", "seed", "presence_penalty", "frequency_penalty",
            "repetition_penalty", "n", "logprobs", "top_logprobs", "stream", "stream_options", "thinking_budget",
            "max_reasoning_tokens", "user", "ignore_eos", "response_format", "tools", "tool_choice",
            "parallel_tool_calls");

    private ChatRequestParser() {
    }

    /** A chat request: {@code messages} required, {@code prompt} refused. */
    static ParsedRequest chat(byte[] body) {
        JsonNode root = RequestFields.parseObject(body);
        refuse(root, "prompt", "use 'messages' on /v1/chat/completions ('prompt' belongs to /v1/completions)");
        ToolSet tools = ToolSet.parse(root.get("tools"), root.get("tool_choice"));
        List<ChatMessage> messages = messages(root.get("messages"));
        if (tools.active()) {
            messages = FunctionCalling.withSystemText(messages, tools.systemPrompt());
        }
        Prompt prompt = new Prompt.Chat(messages);
        boolean logprobs = bool(root, "logprobs", false);
        int top = logprobs ? intParam(root, "top_logprobs", 0, 0, GenerationRequest.MAX_TOP_LOGPROBS) : 0;
        if (!logprobs && root.has("top_logprobs") && !root.get("top_logprobs").isNull()) {
            throw ApiException.badRequest("top_logprobs", "'top_logprobs' needs 'logprobs' set to true");
        }
        ParsedRequest p = common(root, prompt, logprobs, top, -1);
        Grammar constraint = tools.forcesCall() ? tools.grammar() : responseFormat(root.get("response_format"));
        return new ParsedRequest(p.generation().withConstraint(constraint), p.stream(), p.includeUsage(), p.model(), tools);
    }

    /**
     * {@code response_format}: {@code text}, {@code json_object} (any JSON object), or {@code json_schema} with
     * {@code json_schema.schema}; {@code null} for free text.
     */
    static Grammar responseFormat(JsonNode rf) {
        if (rf == null || rf.isNull()) {
            return null;
        }
        if (!rf.isObject() || !rf.path("type").isTextual()) {
            throw ApiException.badRequest("response_format", "'response_format' must be {\"type\": \"text\" | \"json_object\" | \"json_schema\"}");
        }
        return switch (rf.get("type").asText()) {
            case "text" -> null;
            case "json_object" -> Grammar.anyJsonObject();
            case "json_schema" -> {
                JsonNode schema = rf.path("json_schema").get("schema");
                if (schema == null || schema.isNull()) {
                    throw ApiException.badRequest("response_format.json_schema.schema",
                            "'response_format' of type json_schema needs json_schema.schema");
                }
                try {
                    yield Grammar.fromSchema(schema);
                } catch (JsonSchemaException e) {
                    throw ApiException.badRequest("response_format.json_schema.schema", e.getMessage());
                }
            }
            default -> throw ApiException.badRequest("response_format.type", "response_format type '"
                    + rf.get("type").asText() + "' is not one of text, json_object, json_schema");
        };
    }


    /** A text completion: {@code prompt} required (a string, or an array of one string or of token ids). */
    static ParsedRequest completion(byte[] body) {
        JsonNode root = RequestFields.parseObject(body);
        refuse(root, "messages", "use 'prompt' on /v1/completions ('messages' belongs to /v1/chat/completions)");
        for (String chatOnly : List.of("response_format", "tools", "tool_choice", "parallel_tool_calls")) {
            refuse(root, chatOnly, "'" + chatOnly + "' is supported on /v1/chat/completions only (the answer after the "
                    + "thought is what it constrains)");
        }
        Prompt prompt = textPrompt(root.get("prompt"));
        JsonNode lp = root.get("logprobs");
        int top = 0;
        boolean logprobs = false;
        if (lp != null && !lp.isNull()) {
            if (!lp.canConvertToInt() || !lp.isIntegralNumber()) {
                throw ApiException.wrongType("logprobs", "an integer (alternatives per token, 0-5)");
            }
            top = lp.intValue();
            if (top < 0 || top > 5) {
                throw ApiException.badRequest("logprobs", "'logprobs' " + top + " is out of range [0, 5]");
            }
            logprobs = true;
        }
        if (root.has("top_logprobs")) {
            throw ApiException.badRequest("top_logprobs", "unknown parameter 'top_logprobs' on /v1/completions; use 'logprobs': N");
        }
        // OpenAI's completions endpoint stops after 16 tokens unless told otherwise.
        return common(root, prompt, logprobs, top, 16);
    }

    private static ParsedRequest common(JsonNode root, Prompt prompt, boolean logprobs, int top, int defaultMax) {
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!KNOWN.contains(name)) {
                throw new ApiException(400, "invalid_request_error", name, "unknown_parameter",
                        "unknown parameter '" + name + "'; supported: " + String.join(", ", KNOWN.stream().sorted().toList()));
            }
        }
        String model = text(root, "model");
        SamplerSettings sampling = RequestFields.sampling(root, "", "repetition_penalty",
                SamplerSettings.r1Defaults().penaltyLastN(), RequestFields.seed(root, "seed", "seed"));
        int maxTokens = intParam(root, "max_tokens", defaultMax, 1, Integer.MAX_VALUE);
        if (root.has("max_completion_tokens") && !root.get("max_completion_tokens").isNull()) {
            maxTokens = intParam(root, "max_completion_tokens", -1, 1, Integer.MAX_VALUE);
        }
        int budget = intParam(root, "thinking_budget", -1, 0, Integer.MAX_VALUE);
        if (root.has("max_reasoning_tokens") && !root.get("max_reasoning_tokens").isNull()) {
            budget = intParam(root, "max_reasoning_tokens", -1, 0, Integer.MAX_VALUE);
        }
        int n = intParam(root, "n", 1, 1, 128);
        boolean stream = bool(root, "stream", false);
        boolean includeUsage = false;
        JsonNode so = root.get("stream_options");
        if (so != null && !so.isNull()) {
            if (!so.isObject()) {
                throw ApiException.wrongType("stream_options", "an object");
            }
            includeUsage = RequestFields.bool(so, "include_usage", false, "stream_options.include_usage");
        }
        GenerationRequest request = new GenerationRequest(prompt, sampling, maxTokens, budget, RequestFields.stop(root.get("stop"), "stop"),
                n, logprobs, top, bool(root, "ignore_eos", false));
        return new ParsedRequest(request, stream, includeUsage, model);
    }

    private static void refuse(JsonNode root, String name, String message) {
        if (root.has(name)) {
            throw new ApiException(400, "invalid_request_error", name, "unknown_parameter", message);
        }
    }

    private static List<ChatMessage> messages(JsonNode node) {
        if (node == null || node.isNull()) {
            throw new ApiException(400, "invalid_request_error", "messages", "missing_required_parameter",
                    "'messages' is required: a non-empty array of {role, content}");
        }
        if (!node.isArray() || node.isEmpty()) {
            throw ApiException.badRequest("messages", "'messages' must be a non-empty array of {role, content}");
        }
        List<ChatMessage> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode m = node.get(i);
            String where = "messages[" + i + "]";
            if (!m.isObject()) {
                throw ApiException.wrongType(where, "an object {role, content}");
            }
            ChatMessage.Role r = RequestFields.role(m, where);
            String text = content(m.get("content"), where + ".content");
            String content = ToolSet.historyContent(r, text, m.get("tool_calls"), where + ".tool_calls");
            JsonNode rc = m.get("reasoning_content");
            String reasoning = rc == null || rc.isNull() ? null : rc.asText();
            if (reasoning != null && r != ChatMessage.Role.ASSISTANT) {
                throw ApiException.badRequest(where + ".reasoning_content",
                        "reasoning_content is only allowed on assistant messages");
            }
            out.add(new ChatMessage(r, content, reasoning));
        }
        return out;
    }

    /** A message's content: a string, or an array of {@code {"type":"text","text":...}} parts joined. */
    private static String content(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return "";
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode part : node) {
                JsonNode type = part.get("type");
                if (type == null || !"text".equals(type.asText()) || !part.has("text")) {
                    throw ApiException.badRequest(where, where + " parts must be {\"type\":\"text\",\"text\":...}; "
                            + "images and audio are not supported");
                }
                sb.append(part.get("text").asText());
            }
            return sb.toString();
        }
        throw ApiException.wrongType(where, "a string or an array of text parts");
    }

    private static Prompt textPrompt(JsonNode node) {
        if (node == null || node.isNull()) {
            throw new ApiException(400, "invalid_request_error", "prompt", "missing_required_parameter",
                    "'prompt' is required: a string");
        }
        if (node.isTextual()) {
            return new Prompt.Text(node.asText());
        }
        if (node.isArray() && node.size() == 1 && node.get(0).isTextual()) {
            return new Prompt.Text(node.get(0).asText());
        }
        if (node.isArray() && !node.isEmpty() && node.get(0).isIntegralNumber()) {
            int[] ids = new int[node.size()];
            for (int i = 0; i < ids.length; i++) {
                if (!node.get(i).canConvertToInt() || !node.get(i).isIntegralNumber()) {
                    throw ApiException.wrongType("prompt", "a string or an array of token ids");
                }
                ids[i] = node.get(i).intValue();
            }
            return new Prompt.Tokens(ids);
        }
        throw ApiException.badRequest("prompt", "'prompt' must be a string, an array of one string, or an array of "
                + "token ids (several prompts in one request are not supported)");
    }

    private static String text(JsonNode root, String name) {
        return RequestFields.text(root, name, name);
    }

    private static int intParam(JsonNode root, String name, int fallback, int min, int max) {
        return RequestFields.integer(root, name, fallback, min, max, name);
    }

    private static boolean bool(JsonNode root, String name, boolean fallback) {
        return RequestFields.bool(root, name, fallback, name);
    }
}
