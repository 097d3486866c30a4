package r1j.chat;

/** A chat template that does not parse, or fails while rendering a conversation; the message names the problem. */
public final class ChatTemplateException extends RuntimeException {

    public ChatTemplateException(String message) {
        super(message);
    }

    public ChatTemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
