package r1j.grammar;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import r1j.grammar.GrammarNode.AnyJsonNode;
import r1j.grammar.GrammarNode.AnyOfNode;
import r1j.grammar.GrammarNode.ObjectNode;
import r1j.grammar.GrammarNode.Property;

/**
 * What an answer must look like: compact JSON that follows a schema. Immutable and shareable between requests;
 * {@link JsonMatcher#start(Grammar)} begins matching an output against it.
 */
public final class Grammar {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Grammar ANY_OBJECT = new Grammar(new AnyJsonNode(true, AnyJsonNode.MAX_DEPTH), "json_object");

    final GrammarNode root;
    private final String description;

    private Grammar(GrammarNode root, String description) {
        this.root = root;
        this.description = description;
    }

    /**
     * The grammar of JSON values that validate against {@code schema} (see {@link SchemaCompiler} for the keywords).
     *
     * @throws JsonSchemaException naming the path and keyword the grammar cannot follow
     */
    public static Grammar fromSchema(JsonNode schema) {
        Objects.requireNonNull(schema, "schema");
        return new Grammar(SchemaCompiler.compile(schema), "json_schema");
    }

    /**
     * The grammar of a schema given as JSON text.
     *
     * @throws JsonSchemaException when the text is not JSON or the schema cannot be compiled
     */
    public static Grammar fromSchema(String schemaJson) {
        try {
            return fromSchema(JSON.readTree(schemaJson));
        } catch (JsonProcessingException e) {
            throw new JsonSchemaException("the schema is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** Any JSON object ({@code response_format: {"type": "json_object"}}). */
    public static Grammar anyJsonObject() {
        return ANY_OBJECT;
    }

    /**
     * A call of one of {@code functions}: {@code {"name":"<function>","arguments":<arguments>}}, the arguments
     * following that function's parameter grammar.
     *
     * @param functions function name → grammar of its arguments, in the order to offer them
     */
    public static Grammar functionCall(Map<String, Grammar> functions) {
        if (functions.isEmpty()) {
            throw new IllegalArgumentException("a function call needs at least one function");
        }
        List<GrammarNode> calls = new ArrayList<>();
        for (Map.Entry<String, Grammar> f : new LinkedHashMap<>(functions).entrySet()) {
            byte[] name = SchemaCompiler.encode(JSON.getNodeFactory().textNode(f.getKey()));
            calls.add(new ObjectNode(List.of(
                    new Property("name", key("name"), SchemaCompiler.literals(List.of(name)), true),
                    new Property("arguments", key("arguments"), f.getValue().root, true))));
        }
        return new Grammar(calls.size() == 1 ? calls.getFirst() : new AnyOfNode(calls), "function_call");
    }

    private static byte[] key(String plainName) {
        return (plainName + "\"").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "Grammar[" + description + "]";
    }
}
