package r1j.tokenizer;

/** A vocabulary that cannot be loaded or used: missing keys, unsupported model or pre-tokenizer, unreadable files. */
public class TokenizerException extends RuntimeException {

    public TokenizerException(String message) {
        super(message);
    }

    public TokenizerException(String message, Throwable cause) {
        super(message, cause);
    }
}
