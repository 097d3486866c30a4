package r1j.cli.store;

/** A model name is neither an existing file nor a model in the store (or not on the server when pulling). */
public final class ModelNotFoundException extends ModelStoreException {

    /** @param message which model was looked for, where, and what to do */
    public ModelNotFoundException(String message) {
        super(message);
    }
}
