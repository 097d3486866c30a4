package r1j.engine;

/** Base of the engine's typed failures; the message says what went wrong and what to do. */
public class EngineException extends RuntimeException {

    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
