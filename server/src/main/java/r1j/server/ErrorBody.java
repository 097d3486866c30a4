package r1j.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import r1j.engine.EngineClosedException;
import r1j.engine.InvalidRequestException;
import r1j.engine.PromptTooLongException;
import r1j.engine.QueueFullException;

/**
 * Maps failures to OpenAI's error shape (or Ollama's {@code {"error": "..."}}) {@code {"error":{"message","type","param","code"}}} and an HTTP status:
 * 400 bad input, 401 auth, 404 unknown route or model, 405 wrong method, 413 body too large, 429 queue full,
 * 503 shutting down, 500 anything unexpected.
 */
final class ErrorBody {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ErrorBody() {
    }

    /** The API error a throwable from the protocol or the engine stands for. */
    static ApiException toApiException(Throwable t) {
        return switch (t) {
            case ApiException a -> a;
            case PromptTooLongException p -> new ApiException(400, "invalid_request_error", "messages",
                    "context_length_exceeded", p.getMessage());
            case InvalidRequestException i -> ApiException.badRequest(null, i.getMessage());
            case QueueFullException q -> new ApiException(429, "rate_limit_error", null, "queue_full", q.getMessage());
            case EngineClosedException c -> new ApiException(503, "server_error", null, "shutting_down",
                    "the server is shutting down; retry on another instance");
            case IllegalArgumentException e -> ApiException.badRequest(paramOf(e.getMessage()), e.getMessage());
            default -> new ApiException(500, "server_error", null, null,
                    "internal error: " + t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage()));
        };
    }

    /** The JSON body for {@code e}. */
    static byte[] json(ApiException e) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode err = root.putObject("error");
        err.put("message", e.getMessage());
        err.put("type", e.type());
        err.put("param", e.param());
        err.put("code", e.code());
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The JSON body for {@code e} in Ollama's shape: {@code {"error": "message"}}. */
    static byte[] ollamaJson(ApiException e) {
        ObjectNode root = JSON.createObjectNode();
        root.put("error", e.getMessage());
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The parameter a validation message from the engine's records names: they start with it ("top_p 1.5 is out of
     * range [0, 1]"), or null when the first word is not a request parameter.
     */
    static String paramOf(String message) {
        if (message == null) {
            return null;
        }
        int space = message.indexOf(' ');
        String first = space < 0 ? message : message.substring(0, space);
        return ChatRequestParser.KNOWN.contains(first) ? first : null;
    }
}
