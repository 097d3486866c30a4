package r1j.engine;

/** A request arrived after {@link Engine#close()} or {@link Engine#shutdown} began. */
public final class EngineClosedException extends EngineException {

    public EngineClosedException() {
        super("the engine is shutting down and accepts no new requests");
    }
}
