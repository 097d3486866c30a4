package r1j.server;

/**
 * A request the API refuses, with the HTTP status and OpenAI's error fields ({@code type}, {@code param},
 * {@code code}). Thrown inside the protocol code and turned into JSON by {@link ErrorBody}.
 */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String type;
    private final String param;
    private final String code;

    public ApiException(int status, String type, String param, String code, String message) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    /** 400 {@code invalid_request_error} about {@code param} (may be null). */
    public static ApiException badRequest(String param, String message) {
        return new ApiException(400, "invalid_request_error", param, null, message);
    }

    /** 400 for a parameter of the wrong JSON type. */
    public static ApiException wrongType(String param, String expected) {
        return new ApiException(400, "invalid_request_error", param, "invalid_type",
                "'" + param + "' must be " + expected);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String param() {
        return param;
    }

    public String code() {
        return code;
    }
}
