package r1j.grammar;

/** A JSON schema the grammar compiler cannot use; the message names the schema path and the problem. */
public final class JsonSchemaException extends IllegalArgumentException {

    public JsonSchemaException(String message) {
        super(message);
    }
}
