package r1j.tokenizer;

/**
 * Token types as stored in GGUF {@code tokenizer.ggml.token_type} (llama.cpp's {@code llama_token_type}).
 * The numeric codes are the file's values.
 */
public enum TokenType {
    UNDEFINED(0), NORMAL(1), UNKNOWN(2), CONTROL(3), USER_DEFINED(4), UNUSED(5), BYTE(6);

    private static final TokenType[] BY_CODE = {UNDEFINED, NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE};

    private final int code;

    TokenType(int code) {
        this.code = code;
    }

    /** The value stored in GGUF. */
    public int code() {
        return code;
    }

    /** The type for a GGUF code; unknown codes are {@link #UNDEFINED}, as llama.cpp treats them. */
    public static TokenType fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : UNDEFINED;
    }
}
