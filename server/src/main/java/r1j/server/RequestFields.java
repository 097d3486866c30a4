package r1j.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import r1j.chat.ChatMessage;
import r1j.sample.SamplerSettings;

/**
 * Typed reads of a request body's fields, shared by the OpenAI parser ({@link ChatRequestParser}) and the Ollama one
 * ({@link OllamaRequests}): every read checks the JSON type and range and throws a 400 naming the parameter as the
 * client wrote it ({@code param}: {@code "temperature"} on {@code /v1}, {@code "options.temperature"} on
 * {@code /api/}). Absent and {@code null} fields take the fallback.
 */
final class RequestFields {

    /** Most stop strings a request may give. */
    static final int MAX_STOP = 16;

    private static final ObjectMapper JSON = new ObjectMapper();

    private RequestFields() {
    }

    /** The body as a JSON object, or a 400 ({@code invalid_json}) saying why it is not one. */
    static JsonNode parseObject(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "invalid_request_error", null, "invalid_json",
                    "the request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiException(400, "invalid_request_error", null, "invalid_json", "the request body could not be read");
        }
        if (root == null || !root.isObject()) {
            throw new ApiException(400, "invalid_request_error", null, "invalid_json",
                    "the request body must be a JSON object");
        }
        return root;
    }

    /** A string field, or null. */
    static String text(JsonNode node, String name, String param) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.wrongType(param, "a string");
        }
        return v.asText();
    }

    static boolean bool(JsonNode node, String name, boolean fallback, String param) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw ApiException.wrongType(param, "true or false");
        }
        return v.booleanValue();
    }

    static float number(JsonNode node, String name, float fallback, String param) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isNumber()) {
            throw ApiException.wrongType(param, "a number");
        }
        return v.floatValue();
    }

    /** An integer field in {@code [min, max]} ({@code max} {@link Integer#MAX_VALUE}: no upper bound). */
    static int integer(JsonNode node, String name, int fallback, int min, int max, String param) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw ApiException.wrongType(param, "an integer");
        }
        int value = v.intValue();
        if (value < min || value > max) {
            throw ApiException.badRequest(param, "'%s' %d is out of range [%d, %s]".formatted(name, value, min,
                    max == Integer.MAX_VALUE ? "∞" : Integer.toString(max)));
        }
        return value;
    }

    /** A sampling seed: an integer, or {@link SamplerSettings#RANDOM_SEED} when absent. */
    static long seed(JsonNode node, String name, String param) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return SamplerSettings.RANDOM_SEED;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw ApiException.wrongType(param, "an integer");
        }
        return v.longValue();
    }

    /** Stop strings: a string or an array of at most {@link #MAX_STOP} non-empty strings. */
    static List<String> stop(JsonNode node, String param) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (node.isTextual()) {
            out.add(node.asText());
        } else if (node.isArray()) {
            for (JsonNode s : node) {
                if (!s.isTextual()) {
                    throw ApiException.wrongType(param, "a string or an array of strings");
                }
                out.add(s.asText());
            }
        } else {
            throw ApiException.wrongType(param, "a string or an array of strings");
        }
        if (out.size() > MAX_STOP) {
            throw ApiException.badRequest(param, "at most " + MAX_STOP + " stop strings, got " + out.size());
        }
        if (out.stream().anyMatch(String::isEmpty)) {
            throw ApiException.badRequest(param, "stop strings must not be empty");
        }
        return out;
    }

    /**
     * The sampler settings in {@code node}'s fields {@code temperature}, {@code top_k}, {@code top_p}, {@code min_p},
     * {@code presence_penalty}, {@code frequency_penalty} and the repetition penalty under {@code repetitionName}
     * (OpenAI-style servers say {@code repetition_penalty}, Ollama {@code repeat_penalty}); unset ones take the
     * DeepSeek-R1 model card's defaults (temperature 0.6, top-p 0.95). {@code prefix} is what the client's parameter
     * names start with ({@code ""} or {@code "options."}).
     *
     * @throws ApiException 400 naming the field of the wrong type, or the value the sampler refuses
     */
    static SamplerSettings sampling(JsonNode node, String prefix, String repetitionName, int penaltyLastN, long seed) {
        SamplerSettings d = SamplerSettings.r1Defaults();
        try {
            return new SamplerSettings(
                    number(node, "temperature", d.temperature(), prefix + "temperature"),
                    integer(node, "top_k", 0, 0, Integer.MAX_VALUE, prefix + "top_k"),
                    number(node, "top_p", d.topP(), prefix + "top_p"),
                    number(node, "min_p", 0f, prefix + "min_p"),
                    number(node, repetitionName, 1f, prefix + repetitionName),
                    number(node, "presence_penalty", 0f, prefix + "presence_penalty"),
                    number(node, "frequency_penalty", 0f, prefix + "frequency_penalty"),
                    penaltyLastN,
                    seed);
        } catch (IllegalArgumentException e) {
            if (prefix.isEmpty()) {
                throw ApiException.badRequest(ErrorBody.paramOf(e.getMessage()), e.getMessage());
            }
            String object = prefix.substring(0, prefix.length() - 1);
            throw ApiException.badRequest(object, object + ": " + e.getMessage());
        }
    }

    /**
     * A message's {@code role}.
     *
     * @param where the message as the client sees it, {@code messages[2]}
     */
    static ChatMessage.Role role(JsonNode message, String where) {
        JsonNode role = message.get("role");
        if (role == null || !role.isTextual()) {
            throw ApiException.badRequest(where + ".role", where + ".role is required: system, user, assistant or tool");
        }
        try {
            return ChatMessage.Role.fromWireName(role.asText());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(where + ".role", e.getMessage());
        }
    }
}
