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

/**
 * How function (tool) calls travel through a chat model, shared by the HTTP API and in-process integrations: the
 * functions are described in the system message, and the model calls one by answering a line
 * {@code {"name":"<function>","arguments":{…}}} per call. Callers that must force a call constrain the answer to that
 * shape with {@code r1j.grammar.Grammar.functionCall}; earlier calls go back into the history as the same lines, and
 * results as {@link ChatMessage.Role#TOOL} messages.
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

    /**
     * The calls in an answer: every non-blank line is {@code {"name": <one of names>, "arguments": {…}}}. Anything
     * else makes the whole answer plain content (empty list).
     */
    public static List<Call> parse(String answer, Set<String> names) {
        List<Call> calls = new ArrayList<>();
        for (String line : answer.strip().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode call;
            try {
                call = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                return List.of();
            }
            if (call == null || !call.isObject() || !call.path("name").isTextual()
                    || !names.contains(call.get("name").asText()) || !call.path("arguments").isObject()) {
                return List.of();
            }
            calls.add(new Call(call.get("name").asText(), call.get("arguments").toString()));
        }
        return calls;
    }
}
