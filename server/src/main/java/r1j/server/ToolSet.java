package r1j.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import r1j.chat.ChatMessage;
import r1j.chat.FunctionCalling;
import r1j.grammar.Grammar;
import r1j.grammar.JsonSchemaException;

/**
 * The {@code tools} and {@code tool_choice} of a chat request, and how calls travel through the model: the functions
 * are described in a system message, a call is written as one JSON object per line,
 * {@code {"name":"<function>","arguments":{…}}} (constrained by the functions' parameter schemas for
 * {@code tool_choice} {@code required} or a named function), and such an answer comes back as OpenAI
 * {@code tool_calls}. Assistant messages with {@code tool_calls} in the history become messages of call lines, which
 * the chat template renders in its own tool-call markup (see {@link FunctionCalling#callLines}).
 *
 * @param functions name → {@code function} object ({@code name}, {@code description}, {@code parameters})
 * @param choice    what the model may do
 * @param forced    the function {@code tool_choice} names, or {@code null}
 */
record ToolSet(Map<String, JsonNode> functions, Choice choice, String forced) {

    /** {@code tool_choice}: none, auto (the default with tools), required, or a named function. */
    enum Choice { NONE, AUTO, REQUIRED, NAMED }

    /** No tools: plain chat. */
    static final ToolSet NONE = new ToolSet(Map.of(), Choice.NONE, null);


    /** One parsed call: OpenAI's {@code id}, the function name and its arguments as JSON text. */
    record Call(String id, String name, String arguments) {
    }

    /**
     * Reads {@code tools} and {@code tool_choice}.
     *
     * @throws ApiException 400 naming the field that is wrong
     */
    static ToolSet parse(JsonNode tools, JsonNode toolChoice) {
        if (tools == null || tools.isNull()) {
            if (toolChoice != null && !toolChoice.isNull() && !"none".equals(toolChoice.asText())) {
                throw ApiException.badRequest("tool_choice", "'tool_choice' needs 'tools'");
            }
            return NONE;
        }
        if (!tools.isArray() || tools.isEmpty()) {
            throw ApiException.badRequest("tools", "'tools' must be a non-empty array of {type: function, function: {...}}");
        }
        Map<String, JsonNode> functions = new LinkedHashMap<>();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode t = tools.get(i);
            String where = "tools[" + i + "]";
            if (!t.isObject() || !"function".equals(t.path("type").asText())) {
                throw ApiException.badRequest(where + ".type", where + " must be {\"type\": \"function\", \"function\": {...}}");
            }
            JsonNode f = t.get("function");
            if (f == null || !f.isObject() || !f.path("name").isTextual() || f.get("name").asText().isEmpty()) {
                throw ApiException.badRequest(where + ".function.name", where + ".function needs a non-empty 'name'");
            }
            String name = f.get("name").asText();
            if (functions.containsKey(name)) {
                throw ApiException.badRequest(where + ".function.name", "function '" + name + "' is defined twice");
            }
            grammarOf(f, where); // refuse a parameter schema the grammar cannot follow now, not at generation time
            functions.put(name, f);
        }
        Choice choice = Choice.AUTO;
        String forced = null;
        if (toolChoice != null && !toolChoice.isNull()) {
            if (toolChoice.isTextual()) {
                choice = switch (toolChoice.asText()) {
                    case "none" -> Choice.NONE;
                    case "auto" -> Choice.AUTO;
                    case "required" -> Choice.REQUIRED;
                    default -> throw ApiException.badRequest("tool_choice",
                            "'tool_choice' '" + toolChoice.asText() + "' is not one of none, auto, required, or {type: function, function: {name}}");
                };
            } else if (toolChoice.isObject() && toolChoice.path("function").path("name").isTextual()) {
                forced = toolChoice.get("function").get("name").asText();
                if (!functions.containsKey(forced)) {
                    throw ApiException.badRequest("tool_choice", "'tool_choice' names function '" + forced
                            + "', which is not in 'tools'");
                }
                choice = Choice.NAMED;
            } else {
                throw ApiException.badRequest("tool_choice", "'tool_choice' must be none, auto, required, or {type: function, function: {name}}");
            }
        }
        return new ToolSet(Map.copyOf(functions), choice, forced);
    }

    /** Whether the answer may be a tool call (so it is parsed, and held back while streaming). */
    boolean active() {
        return choice != Choice.NONE && !functions.isEmpty();
    }

    /** Whether the answer must be a call, constrained by {@link #grammar()}. */
    boolean forcesCall() {
        return choice == Choice.REQUIRED || choice == Choice.NAMED;
    }

    /** The grammar of a call of the allowed functions (one, for a named choice). */
    Grammar grammar() {
        Map<String, Grammar> calls = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> f : functions.entrySet()) {
            if (forced == null || forced.equals(f.getKey())) {
                calls.put(f.getKey(), grammarOf(f.getValue(), "tools." + f.getKey()));
            }
        }
        return Grammar.functionCall(calls);
    }

    /** The system message that describes the functions and how to call them. */
    String systemPrompt() {
        List<FunctionCalling.Function> list = new ArrayList<>();
        for (JsonNode f : functions.values()) {
            if (forced == null || forced.equals(f.get("name").asText())) {
                list.add(new FunctionCalling.Function(f.get("name").asText(),
                        f.hasNonNull("description") ? f.get("description").asText() : null, f.get("parameters")));
            }
        }
        return FunctionCalling.systemPrompt(list);
    }

    /**
     * The content of a history message that may carry {@code tool_calls}: its text, then its calls as the model writes
     * them, one per line (the chat template turns those into its own tool-call markup). Only assistant messages may
     * carry calls; an absent, {@code null} or empty {@code tool_calls} leaves the text as it is.
     *
     * @param where the field as the client sees it, {@code messages[2].tool_calls}
     * @throws ApiException 400 naming the call that is malformed
     */
    static String historyContent(ChatMessage.Role role, String text, JsonNode toolCalls, String where) {
        if (toolCalls == null || toolCalls.isNull() || (toolCalls.isArray() && toolCalls.isEmpty())) {
            return text;
        }
        if (role != ChatMessage.Role.ASSISTANT) {
            throw ApiException.badRequest(where, "tool_calls are only allowed on assistant messages");
        }
        return (text.isEmpty() ? "" : text + "\n") + historyText(toolCalls, where);
    }

    /**
     * {@code tool_calls} as call lines. A call is {@code {"function": {"name": …, "arguments": …}}} where the
     * arguments are a JSON object as text (OpenAI) or the object itself (Ollama).
     */
    private static String historyText(JsonNode toolCalls, String where) {
        if (!toolCalls.isArray()) {
            throw ApiException.wrongType(where, "an array of tool calls");
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < toolCalls.size(); i++) {
            JsonNode f = toolCalls.get(i).path("function");
            if (!f.path("name").isTextual()) {
                throw ApiException.badRequest(where + "[" + i + "].function.name",
                        where + "[" + i + "] needs function.name: {\"function\": {\"name\": …, \"arguments\": {…}}}");
            }
            String name = f.get("name").asText();
            JsonNode args = f.path("arguments");
            String param = where + "[" + i + "].function.arguments";
            if (!args.isMissingNode() && !args.isNull() && !args.isObject() && !args.isTextual()) {
                throw ApiException.badRequest(param, "the arguments of a call of '" + name
                        + "' must be a JSON object or its JSON text");
            }
            try {
                out.append(i > 0 ? "\n" : "").append(FunctionCalling.callText(name,
                        args.isObject() ? args.toString() : args.isTextual() ? args.asText() : "{}"));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(param, e.getMessage());
            }
        }
        return out.toString();
    }

    /** The calls in an answer (see {@link FunctionCalling#parse}), each with a fresh OpenAI id. */
    List<Call> parseCalls(String answer) {
        List<Call> calls = new ArrayList<>();
        for (FunctionCalling.Call c : FunctionCalling.parse(answer, functions.keySet())) {
            calls.add(new Call("call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24), c.name(), c.arguments()));
        }
        return calls;
    }

    private static Grammar grammarOf(JsonNode function, String where) {
        JsonNode params = function.get("parameters");
        try {
            return params == null || params.isNull()
                    ? Grammar.fromSchema("{\"type\":\"object\",\"properties\":{},\"additionalProperties\":false}")
                    : Grammar.fromSchema(params);
        } catch (JsonSchemaException e) {
            throw ApiException.badRequest(where + ".function.parameters", where + ".function.parameters: " + e.getMessage());
        }
    }
}
