package r1j.engine;

/** A request the engine cannot serve as asked (a server answers 400); the message names the field and the limit. */
public class InvalidRequestException extends EngineException {

    public InvalidRequestException(String message) {
        super(message);
    }
}
