package r1j.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How function (tool) calls travel through a chat model, shared by the HTTP API and in-process integrations: the
 * functions are described in the system message, and the model calls one by answering a line
 * {@code {"name":"<function>","arguments":{…}}} per call. Callers that must force a call constrain the answer to that
 * shape with {@code r1j.grammar.Grammar.functionCall}. Earlier calls go back into the history as an assistant message
 * of the same lines, which the chat templates render in their own tool-call markup ({@link #callLines}), and results
 * as {@link ChatMessage.Role#TOOL} messages. A model trained on its template's own tool-call markup
 * (DeepSeek-R1/V3, Qwen) may write that instead when it is free to choose; {@link #parse} reads it too.
 */
public final class FunctionCalling {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A function the model may call; {@code parameters} is a JSON schema (may be {@code null}: no arguments). */
    public record Function(String name, String description, JsonNode parameters) {
        public Function {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("a function needs a non-empty name");
            }
        }
    }

    /** One call in an answer: the function's name and its arguments as compact JSON text. */
    public record Call(String name, String arguments) {
    }

    private FunctionCalling() {
    }

    /** The system-message text that describes {@code functions} and how to call them. */
    public static String systemPrompt(List<Function> functions) {
        ArrayNode list = JSON.createArrayNode();
        for (Function f : functions) {
            ObjectNode o = list.addObject();
            o.put("name", f.name());
            if (f.description() != null) {
                o.put("description", f.description());
            }
            if (f.parameters() != null) {
                o.set("parameters", f.parameters());
            }
        }
        return "You can call these functions:\n" + list + "\nTo call a function, answer with only a JSON object "
                + "{\"name\": <function name>, \"arguments\": <arguments object>}, one per line. "
                + "Function results come back in tool messages.";
    }

    /**
     * {@code messages} with {@code text} appended to the last system message, or a system message put first: the R1
     * templates keep only the last system message.
     */
    public static List<ChatMessage> withSystemText(List<ChatMessage> messages, String text) {
        List<ChatMessage> out = new ArrayList<>(messages);
        for (int i = out.size() - 1; i >= 0; i--) {
            if (out.get(i).role() == ChatMessage.Role.SYSTEM) {
                out.set(i, ChatMessage.system(out.get(i).content() + "\n\n" + text));
                return out;
            }
        }
        out.addFirst(ChatMessage.system(text));
        return out;
    }

    /**
     * One call as the model writes it.
     *
     * @throws IllegalArgumentException when {@code argumentsJson} is not a JSON object
     */
    public static String callText(String name, String argumentsJson) {
        JsonNode args;
        try {
            args = JSON.readTree(argumentsJson == null || argumentsJson.isBlank() ? "{}" : argumentsJson);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the arguments of a call of '" + name + "' are not JSON: " + e.getOriginalMessage());
        }
        if (!args.isObject()) {
            throw new IllegalArgumentException("the arguments of a call of '" + name + "' must be a JSON object");
        }
        ObjectNode call = JSON.createObjectNode();
        call.put("name", name);
        call.set("arguments", args);
        return call.toString();
    }

    /** DeepSeek-R1 / V3's tool-call markup (their chat templates): {@code function<｜tool▁sep｜>name ```json args ```}. */
    private static final Pattern DEEPSEEK_CALL = Pattern.compile(
            "<｜tool▁call▁begin｜>\\w*<｜tool▁sep｜>([^\\n]+)\\n```(?:json)?\\n(.*?)\\n```\\s*<｜tool▁call▁end｜>", Pattern.DOTALL);
    /** Qwen's (Hermes-style) markup: {@code <tool_call>{"name": …, "arguments": {…}}</tool_call>}. */
    private static final Pattern QWEN_CALL = Pattern.compile("<tool_call>\\s*(.*?)\\s*</tool_call>", Pattern.DOTALL);

    /**
     * The calls in an answer, of functions in {@code names}: either call lines (every non-blank line
     * {@code {"name": …, "arguments": {…}}}), or the tool-call markup of DeepSeek-R1/V3 or Qwen templates when a model
     * trained on it writes it. Anything else makes the whole answer plain content (empty list).
     */
    public static List<Call> parse(String answer, Set<String> names) {
        return parse(answer, names::contains);
    }

    /**
     * The calls of an assistant history message written as call lines (any function names), or an empty list when
     * its content is plain text: chat templates render such a message with their own tool-call markup.
     */
    public static List<Call> callLines(String content) {
        if (content.isBlank() || content.contains("<｜tool▁call▁begin｜>") || content.contains("<tool_call>")) {
            return List.of();
        }
        return parse(content, name -> true);
    }

    private static List<Call> parse(String answer, Predicate<String> names) {
        if (answer.contains("<｜tool▁call▁begin｜>")) {
            return markup(DEEPSEEK_CALL.matcher(answer), names, true);
        }
        if (answer.contains("<tool_call>")) {
            return markup(QWEN_CALL.matcher(answer), names, false);
        }
        List<Call> calls = new ArrayList<>();
        for (String line : answer.strip().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            Call c = callObject(line, names);
            if (c == null) {
                return List.of();
            }
            calls.add(c);
        }
        return calls;
    }

    private static List<Call> markup(Matcher m, Predicate<String> names, boolean deepSeek) {
        List<Call> calls = new ArrayList<>();
        while (m.find()) {
            Call c;
            if (deepSeek) {
                String name = m.group(1).strip();
                c = names.test(name) ? arguments(name, m.group(2)) : null;
            } else {
                c = callObject(m.group(1), names);
            }
            if (c == null) {
                return List.of();
            }
            calls.add(c);
        }
        return calls;
    }

    /** {@code {"name": <known>, "arguments": {…}}} as a call, else {@code null}. */
    private static Call callObject(String json, Predicate<String> names) {
        JsonNode call;
        try {
            call = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return null;
        }
        if (call == null || !call.isObject() || !call.path("name").isTextual()
                || !names.test(call.get("name").asText()) || !call.path("arguments").isObject()) {
            return null;
        }
        return new Call(call.get("name").asText(), call.get("arguments").toString());
    }

    private static Call arguments(String name, String json) {
        try {
            JsonNode args = JSON.readTree(json);
            return args != null && args.isObject() ? new Call(name, args.toString()) : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
