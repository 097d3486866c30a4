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
import r1j.sample.SamplerSettings;

/**
 * Reads and validates the JSON bodies of Ollama's {@code POST /api/chat} and {@code POST /api/generate}
 * (<a href="https://github.com/ollama/ollama/blob/main/docs/api.md">docs/api.md</a>).
 *
 * <p>Sampling comes from {@code options} under Ollama's names ({@code temperature}, {@code top_p}, {@code top_k},
 * {@code min_p}, {@code repeat_penalty}, {@code repeat_last_n}, {@code presence_penalty}, {@code frequency_penalty},
 * {@code seed}, {@code num_predict}, {@code stop}); unset ones take the DeepSeek-R1 model card's defaults, as
 * {@code /v1} does. Options about loading and hardware ({@code num_ctx}, {@code num_gpu}, {@code num_thread}, ...) are
 * fixed when {@code r1j serve} starts, so they are accepted and have no effect, like {@code keep_alive} (the model
 * stays loaded while the server runs). Unknown fields and options are refused, so a typo is a 400, not a silent
 * default.
 *
 * <p>{@code think}: {@code false} closes the thought at once (a thinking budget of 0); {@code true}, a level
 * ({@code "high"}, {@code "medium"}, {@code "low"}) or no {@code think} lets the model think and returns the thought
 * apart, in {@code message.thinking} ({@code thinking} on {@code /api/generate}), as Ollama does for reasoning models.
 *
 * <p>{@code tools} on {@code /api/chat} are the OpenAI-style function tools {@code /v1} takes, read by the same
 * {@link ToolSet}; history messages may carry {@code tool_calls} (arguments as an object, Ollama's way) and results come
 * as {@code role: "tool"} messages ({@code tool_name} checked and, as {@code tool_call_id} on {@code /v1}, not
 * rendered). Ollama has no {@code tool_choice}: the model decides ({@code auto}). r1j also takes {@code tool_choice}
 * here as an extension with {@code /v1}'s values ({@code "none"}, {@code "auto"}, {@code "required"}, a named
 * function), so a client can force a call whose arguments the function's parameter schema constrains.
 */
final class OllamaRequests {

    /**
     * A validated request; {@code generation} is null for a "load the model" call (no prompt, no messages).
     * {@code format} is Ollama's {@code format} as given — the text {@code "json"} or a JSON-schema object — or null for
     * free text; {@link OllamaApi} hands it to constrained decoding. {@code tools} are the chat's functions
     * ({@link ToolSet#NONE} without, and always on {@code /api/generate}); their description is already in the
     * prompt's system message.
     */
    record OllamaRequest(GenerationRequest generation, boolean stream, String model, boolean showThinking,
                         JsonNode format, ToolSet tools) {

        boolean loadOnly() {
            return generation == null;
        }
    }

    static final Set<String> CHAT_FIELDS = Set.of("model", "messages", "tools", "format", "options", "stream",
            "keep_alive", "think", "tool_choice");
    static final Set<String> GENERATE_FIELDS = Set.of("model", "prompt", "suffix", "images", "format", "options",
            "system", "template", "stream", "raw", "keep_alive", "context", "think");
    static final Set<String> MESSAGE_FIELDS = Set.of("role", "content", "images", "thinking", "tool_calls", "tool_name",
            "tool_call_id");

    /** Sampling options r1j applies. */
    static final Set<String> SAMPLING_OPTIONS = Set.of("temperature", "top_p", "top_k", "min_p", "repeat_penalty",
            "repeat_last_n", "presence_penalty", "frequency_penalty", "seed", "num_predict", "stop");

    /** Options Ollama documents that are fixed at load time here, or have no effect on r1j's sampler. */
    static final Set<String> FIXED_OPTIONS = Set.of("num_ctx", "num_keep", "num_batch", "num_gpu", "main_gpu",
            "low_vram", "vocab_only", "use_mmap", "use_mlock", "num_thread", "numa", "penalize_newline");

    private OllamaRequests() {
    }

    /** {@code POST /api/chat}. */
    static OllamaRequest chat(byte[] body, int contextSize) {
        JsonNode root = RequestFields.parseObject(body);
        refuseUnknown(root, CHAT_FIELDS, "field");
        String model = model(root);
        JsonNode tools = root.get("tools");
        ToolSet toolSet = ToolSet.parse(tools == null || (tools.isArray() && tools.isEmpty()) ? null : tools,
                root.get("tool_choice"));
        JsonNode messages = root.get("messages");
        if (messages == null || messages.isNull() || (messages.isArray() && messages.isEmpty())) {
            return loadOnly(root, model);
        }
        List<ChatMessage> turns = messages(messages);
        if (toolSet.active()) {
            turns = FunctionCalling.withSystemText(turns, toolSet.systemPrompt());
        }
        return request(root, model, new Prompt.Chat(turns), contextSize, toolSet);
    }

    /** {@code POST /api/generate}. */
    static OllamaRequest generate(byte[] body, int contextSize) {
        JsonNode root = RequestFields.parseObject(body);
        refuseUnknown(root, GENERATE_FIELDS, "field");
        String model = model(root);
        refuseNonEmpty(root, "images", "'images' are not supported: r1j serves text-only models");
        refuseNonEmpty(root, "suffix", "'suffix' (fill-in-the-middle) is not supported by the R1 models r1j serves");
        refuseNonEmpty(root, "template", "'template' overrides are not supported; r1j renders prompts with the model "
                + "file's chat template (or use 'raw': true with a templated prompt)");
        refuseNonEmpty(root, "context", "'context' (deprecated by Ollama) is not supported; send the conversation to "
                + "/api/chat instead");
        String prompt = text(root, "prompt");
        if (prompt == null || prompt.isEmpty()) {
            return loadOnly(root, model);
        }
        boolean raw = bool(root, "raw", false);
        String system = text(root, "system");
        Prompt p;
        if (raw) {
            if (system != null) {
                throw ApiException.badRequest("system", "'system' has no effect with 'raw': true; put it in the prompt");
            }
            p = new Prompt.Text(prompt);
        } else {
            List<ChatMessage> turn = new ArrayList<>(2);
            if (system != null && !system.isEmpty()) {
                turn.add(new ChatMessage(ChatMessage.Role.SYSTEM, system, null));
            }
            turn.add(new ChatMessage(ChatMessage.Role.USER, prompt, null));
            p = new Prompt.Chat(turn);
        }
        return request(root, model, p, contextSize, ToolSet.NONE);
    }

    private static OllamaRequest loadOnly(JsonNode root, String model) {
        JsonNode format = format(root.get("format"));
        options(root.get("options"), 1);
        return new OllamaRequest(null, bool(root, "stream", true), model, true, format, ToolSet.NONE);
    }

    private static OllamaRequest request(JsonNode root, String model, Prompt prompt, int contextSize, ToolSet tools) {
        JsonNode format = format(root.get("format"));
        keepAlive(root.get("keep_alive"));
        boolean think = think(root.get("think"));
        Options o = options(root.get("options"), contextSize);
        GenerationRequest g;
        try {
            g = new GenerationRequest(prompt, o.sampling(), o.maxTokens(), think ? -1 : 0, o.stop(), 1, false, 0, false);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("options", e.getMessage());
        }
        return new OllamaRequest(g, bool(root, "stream", true), model, think, format, tools);
    }

    /** What {@code options} sets. */
    private record Options(SamplerSettings sampling, int maxTokens, List<String> stop) {
    }

    private static Options options(JsonNode node, int contextSize) {
        SamplerSettings d = SamplerSettings.r1Defaults();
        if (node == null || node.isNull()) {
            return new Options(d, -1, List.of());
        }
        if (!node.isObject()) {
            throw ApiException.wrongType("options", "an object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!SAMPLING_OPTIONS.contains(name) && !FIXED_OPTIONS.contains(name)) {
                throw ApiException.badRequest("options." + name, "unknown or unsupported option '" + name
                        + "'; r1j applies " + String.join(", ", SAMPLING_OPTIONS.stream().sorted().toList())
                        + " and accepts " + String.join(", ", FIXED_OPTIONS.stream().sorted().toList())
                        + " (fixed when the server starts)");
            }
        }
        RequestFields.integer(node, "num_ctx", 1, 1, Integer.MAX_VALUE, "options.num_ctx"); // validated, then fixed by --ctx-size
        int lastN = RequestFields.integer(node, "repeat_last_n", d.penaltyLastN(), -1, Integer.MAX_VALUE, "options.repeat_last_n");
        if (lastN == -1) {
            lastN = contextSize; // Ollama: -1 means the whole context
        }
        int predict = RequestFields.integer(node, "num_predict", -1, -2, Integer.MAX_VALUE, "options.num_predict");
        if (predict == 0) {
            throw ApiException.badRequest("options.num_predict",
                    "'num_predict' 0 generates nothing; use a positive count, -1 (no limit) or -2 (fill the context)");
        }
        SamplerSettings sampling = RequestFields.sampling(node, "options.", "repeat_penalty", lastN,
                RequestFields.seed(node, "seed", "options.seed"));
        return new Options(sampling, predict < 0 ? -1 : predict, RequestFields.stop(node.get("stop"), "options.stop"));
    }

    /**
     * Ollama's {@code format}: absent, null or {@code ""} for free text (null), else {@code "json"} or a JSON-schema
     * object, returned as given.
     */
    static JsonNode format(JsonNode node) {
        if (node == null || node.isNull() || (node.isTextual() && node.asText().isEmpty())) {
            return null;
        }
        if (node.isTextual() && !node.asText().equals("json")) {
            throw ApiException.badRequest("format", "'format' must be \"json\" or a JSON schema object, got \""
                    + node.asText() + "\"");
        }
        if (!node.isTextual() && !node.isObject()) {
            throw ApiException.wrongType("format", "\"json\" or a JSON schema object");
        }
        return node;
    }

    private static boolean think(JsonNode node) {
        if (node == null || node.isNull()) {
            return true;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isTextual() && Set.of("high", "medium", "low").contains(node.asText())) {
            return true;
        }
        throw ApiException.wrongType("think", "true, false, or one of \"high\", \"medium\", \"low\"");
    }

    private static void keepAlive(JsonNode node) {
        if (node != null && !node.isNull() && !node.isTextual() && !node.isNumber()) {
            throw ApiException.wrongType("keep_alive", "a duration (\"5m\", \"1h\") or a number of seconds");
        }
    }

    private static List<ChatMessage> messages(JsonNode node) {
        if (!node.isArray()) {
            throw ApiException.wrongType("messages", "an array of {role, content}");
        }
        List<ChatMessage> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode m = node.get(i);
            String where = "messages[" + i + "]";
            if (!m.isObject()) {
                throw ApiException.wrongType(where, "an object {role, content}");
            }
            refuseUnknown(m, MESSAGE_FIELDS, where + " field");
            refuseNonEmpty(m, "images", where + ".images are not supported: r1j serves text-only models");
            ChatMessage.Role r = RequestFields.role(m, where);
            String text = RequestFields.text(m, "content", where + ".content");
            String content = ToolSet.historyContent(r, text == null ? "" : text, m.get("tool_calls"), where + ".tool_calls");
            for (String field : List.of("tool_name", "tool_call_id")) {
                // Which call a result answers: the chat templates render results in order, so it is checked, not used.
                if (RequestFields.text(m, field, where + "." + field) != null && r != ChatMessage.Role.TOOL) {
                    throw ApiException.badRequest(where + "." + field, where + "." + field
                            + " is only allowed on tool messages");
                }
            }
            String thinking = RequestFields.text(m, "thinking", where + ".thinking");
            if (thinking != null && r != ChatMessage.Role.ASSISTANT) {
                throw ApiException.badRequest(where + ".thinking", "thinking is only allowed on assistant messages");
            }
            // As on /v1: an earlier turn's thought is accepted and left out of the prompt (DeepSeek's advice).
            out.add(new ChatMessage(r, content, thinking == null || thinking.isEmpty() ? null : thinking));
        }
        return out;
    }

    private static String model(JsonNode root) {
        String model = text(root, "model");
        if (model == null || model.isBlank()) {
            throw ApiException.badRequest("model", "'model' is required");
        }
        return model;
    }

    private static void refuseUnknown(JsonNode node, Set<String> known, String what) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                throw ApiException.badRequest(name, "unknown " + what + " '" + name + "'; supported: "
                        + String.join(", ", known.stream().sorted().toList()));
            }
        }
    }

    /** Refuses a field that is present with a value: not null, not an empty string, array or object. */
    private static void refuseNonEmpty(JsonNode node, String name, String message) {
        JsonNode v = node.get(name);
        if (v != null && !v.isNull() && !(v.isTextual() && v.asText().isEmpty()) && !(v.isContainerNode() && v.isEmpty())) {
            throw ApiException.badRequest(name, message);
        }
    }

    private static String text(JsonNode root, String name) {
        return RequestFields.text(root, name, name);
    }

    private static boolean bool(JsonNode root, String name, boolean fallback) {
        return RequestFields.bool(root, name, fallback, name);
    }
}
