package r1j.grammar;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import r1j.grammar.GrammarNode.AnyJsonNode;
import r1j.grammar.GrammarNode.AnyOfNode;
import r1j.grammar.GrammarNode.ArrayNode;
import r1j.grammar.GrammarNode.LiteralsNode;
import r1j.grammar.GrammarNode.NumberNode;
import r1j.grammar.GrammarNode.ObjectNode;
import r1j.grammar.GrammarNode.Property;
import r1j.grammar.GrammarNode.RefNode;
import r1j.grammar.GrammarNode.StringNode;

/**
 * Compiles a JSON schema (the subset structured-output APIs use, as in OpenAI's strict mode) to a {@link GrammarNode}
 * graph.
 *
 * <p>Understood: {@code type} (one or a list), {@code properties} (emitted in the schema's order, each optional
 * unless listed in {@code required}; no properties beyond them are generated), {@code items}, {@code minItems},
 * {@code maxItems}, {@code minLength}, {@code maxLength}, {@code enum}, {@code const}, {@code anyOf}, {@code oneOf}
 * (treated as {@code anyOf}: give alternatives that cannot both match), {@code $ref} to {@code #},
 * {@code #/$defs/…} or {@code #/definitions/…} (recursion allowed), boolean schemas. Annotations ({@code title},
 * {@code description}, {@code format}, …) are ignored; keywords that constrain values in ways the grammar cannot
 * ({@code pattern}, {@code minimum}, {@code not}, …) are refused with a {@link JsonSchemaException} naming them, so
 * an answer never claims to follow a schema it may break.
 *
 * <p>Bounds the grammar adds so a model cannot loop forever: at most {@value Frame#MAX_INT_DIGITS} integer and
 * {@value Frame#MAX_FRAC_DIGITS} fraction digits, free-form JSON nested at most {@value AnyJsonNode#MAX_DEPTH} deep.
 */
final class SchemaCompiler {

    static final int MAX_PROPERTIES = 64; // the matcher keeps one bit per property of an object

    private static final ObjectMapper JSON = new ObjectMapper();
    static final LiteralsNode SCALAR_LITERALS = literals(List.of(bytes("true"), bytes("false"), bytes("null")));
    private static final AnyJsonNode[] ANY = new AnyJsonNode[AnyJsonNode.MAX_DEPTH + 1];

    static {
        for (int d = 0; d <= AnyJsonNode.MAX_DEPTH; d++) {
            ANY[d] = new AnyJsonNode(false, d);
        }
    }

    private static final Set<String> UNSUPPORTED = Set.of("pattern", "minimum", "maximum", "exclusiveMinimum",
            "exclusiveMaximum", "multipleOf", "patternProperties", "propertyNames", "minProperties", "maxProperties",
            "not", "if", "then", "else", "dependentRequired", "dependentSchemas", "contains", "minContains",
            "maxContains", "prefixItems", "unevaluatedProperties", "unevaluatedItems", "$dynamicRef", "dependencies");

    private final JsonNode root;
    private final Map<String, RefNode> refs = new HashMap<>();

    private SchemaCompiler(JsonNode root) {
        this.root = root;
    }

    /** Any JSON value nested at most {@code depth} levels (0: scalars only). */
    static AnyJsonNode anyValue(int depth) {
        return ANY[depth];
    }

    /**
     * Compiles {@code schema}.
     *
     * @throws JsonSchemaException naming the path and keyword of the first thing it cannot compile
     */
    static GrammarNode compile(JsonNode schema) {
        SchemaCompiler c = new SchemaCompiler(schema);
        GrammarNode node = c.node(schema, "#");
        c.resolveRefs();
        return node;
    }

    private GrammarNode node(JsonNode s, String path) {
        if (s.isBoolean()) {
            if (!s.booleanValue()) {
                throw new JsonSchemaException("the schema at " + path + " is false: nothing can match it");
            }
            return ANY[AnyJsonNode.MAX_DEPTH];
        }
        if (!s.isObject()) {
            throw new JsonSchemaException("the schema at " + path + " must be an object or a boolean, not " + s.getNodeType());
        }
        checkKeywords(s, path);
        if (s.has("$ref")) {
            return ref(s.get("$ref"), path);
        }
        if (s.has("const")) {
            return literals(List.of(encode(s.get("const"))));
        }
        if (s.has("enum")) {
            return enumeration(s.get("enum"), path + "/enum");
        }
        if (s.has("anyOf") || s.has("oneOf")) {
            String key = s.has("anyOf") ? "anyOf" : "oneOf";
            return alternatives(s.get(key), path + "/" + key);
        }
        if (s.has("allOf")) {
            JsonNode all = s.get("allOf");
            if (!all.isArray() || all.size() != 1) {
                throw new JsonSchemaException("allOf at " + path + " is only supported with a single schema");
            }
            return node(all.get(0), path + "/allOf/0");
        }
        JsonNode type = s.get("type");
        if (type == null) {
            if (s.has("properties")) {
                return object(s, path);
            }
            if (s.has("items")) {
                return array(s, path);
            }
            return ANY[AnyJsonNode.MAX_DEPTH];
        }
        if (type.isTextual()) {
            return typed(type.textValue(), s, path);
        }
        if (type.isArray() && !type.isEmpty()) {
            List<GrammarNode> alts = new ArrayList<>();
            for (JsonNode t : type) {
                if (!t.isTextual()) {
                    throw new JsonSchemaException("type at " + path + " must list type names, found " + t);
                }
                alts.add(typed(t.textValue(), s, path));
            }
            return alts.size() == 1 ? alts.getFirst() : new AnyOfNode(alts);
        }
        throw new JsonSchemaException("type at " + path + " must be a type name or a non-empty list of them, found " + type);
    }

    private GrammarNode typed(String type, JsonNode s, String path) {
        return switch (type) {
            case "object" -> object(s, path);
            case "array" -> array(s, path);
            case "string" -> new StringNode(count(s, "minLength", 0, path), count(s, "maxLength", StringNode.UNBOUNDED, path));
            case "number" -> new NumberNode(false);
            case "integer" -> new NumberNode(true);
            case "boolean" -> literals(List.of(bytes("true"), bytes("false")));
            case "null" -> literals(List.of(bytes("null")));
            default -> throw new JsonSchemaException("type '" + type + "' at " + path
                    + " is not a JSON schema type; use object, array, string, number, integer, boolean or null");
        };
    }

    private GrammarNode object(JsonNode s, String path) {
        JsonNode props = s.get("properties");
        JsonNode additional = s.get("additionalProperties");
        if (props == null || props.isEmpty()) {
            if (additional != null && additional.isBoolean() && !additional.booleanValue()) {
                return literals(List.of(bytes("{}")));
            }
            return new AnyJsonNode(true, AnyJsonNode.MAX_DEPTH);
        }
        if (!props.isObject()) {
            throw new JsonSchemaException("properties at " + path + " must be an object");
        }
        if (props.size() > MAX_PROPERTIES) {
            throw new JsonSchemaException("the object at " + path + " has " + props.size()
                    + " properties; the grammar supports at most " + MAX_PROPERTIES);
        }
        Set<String> required = new HashSet<>();
        JsonNode req = s.get("required");
        if (req != null) {
            if (!req.isArray()) {
                throw new JsonSchemaException("required at " + path + " must be an array of property names");
            }
            for (JsonNode r : req) {
                if (!r.isTextual() || !props.has(r.textValue())) {
                    throw new JsonSchemaException("required property " + r + " at " + path + " is not in properties");
                }
                required.add(r.textValue());
            }
        }
        List<Property> list = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            byte[] quoted = encode(JSON.getNodeFactory().textNode(e.getKey()));
            byte[] key = Arrays.copyOfRange(quoted, 1, quoted.length); // without the opening quote
            GrammarNode value = node(e.getValue(), path + "/properties/" + e.getKey());
            list.add(new Property(e.getKey(), key, value, required.contains(e.getKey())));
        }
        return new ObjectNode(list);
    }

    private GrammarNode array(JsonNode s, String path) {
        JsonNode items = s.get("items");
        GrammarNode item = items == null ? ANY[AnyJsonNode.MAX_DEPTH] : node(items, path + "/items");
        int min = count(s, "minItems", 0, path);
        int max = count(s, "maxItems", Integer.MAX_VALUE, path);
        if (min > max) {
            throw new JsonSchemaException("minItems " + min + " exceeds maxItems " + max + " at " + path);
        }
        JsonNode unique = s.get("uniqueItems");
        if (unique != null && unique.asBoolean() && max > 1) {
            throw new JsonSchemaException("uniqueItems at " + path + " is not supported by the grammar");
        }
        return new ArrayNode(item, min, max);
    }

    private GrammarNode enumeration(JsonNode values, String path) {
        if (!values.isArray() || values.isEmpty()) {
            throw new JsonSchemaException("enum at " + path + " must be a non-empty array");
        }
        List<byte[]> lits = new ArrayList<>();
        for (JsonNode v : values) {
            lits.add(encode(v));
        }
        return literals(lits);
    }

    private GrammarNode alternatives(JsonNode list, String path) {
        if (!list.isArray() || list.isEmpty()) {
            throw new JsonSchemaException(path + " must be a non-empty array of schemas");
        }
        List<GrammarNode> alts = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            alts.add(node(list.get(i), path + "/" + i));
        }
        return alts.size() == 1 ? alts.getFirst() : new AnyOfNode(alts);
    }

    private GrammarNode ref(JsonNode ref, String path) {
        if (!ref.isTextual()) {
            throw new JsonSchemaException("$ref at " + path + " must be a string");
        }
        return refs.computeIfAbsent(ref.textValue(), RefNode::new);
    }

    private void resolveRefs() {
        Map<String, GrammarNode> done = new HashMap<>();
        // Compiling a target may add new references (a definition that refers to another): loop until none is left.
        while (done.size() < refs.size()) {
            for (RefNode r : List.copyOf(refs.values())) {
                if (!done.containsKey(r.ref)) {
                    r.target = node(target(r.ref), r.ref);
                    done.put(r.ref, r.target);
                }
            }
        }
        for (RefNode r : refs.values()) {
            GrammarNode t = r.target;
            for (int hops = 0; t instanceof RefNode next; hops++) {
                if (hops > refs.size()) {
                    throw new JsonSchemaException("$ref " + r.ref + " refers to itself without a value in between");
                }
                t = next.target;
            }
        }
    }

    private JsonNode target(String ref) {
        if (ref.equals("#")) {
            return root;
        }
        if (!ref.startsWith("#/")) {
            throw new JsonSchemaException("$ref '" + ref + "' is not supported; only references inside the schema "
                    + "(#, #/$defs/name, #/definitions/name) are");
        }
        JsonNode t = root.at(ref.substring(1));
        if (t.isMissingNode()) {
            throw new JsonSchemaException("$ref '" + ref + "' points to nothing in the schema");
        }
        return t;
    }

    private static void checkKeywords(JsonNode s, String path) {
        for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (UNSUPPORTED.contains(k)) {
                throw new JsonSchemaException("schema keyword '" + k + "' at " + path + " is not supported by the "
                        + "output grammar; supported: type, properties, required, items, minItems, maxItems, "
                        + "minLength, maxLength, enum, const, anyOf, oneOf, $ref");
            }
        }
    }

    private static int count(JsonNode s, String key, int absent, String path) {
        JsonNode v = s.get(key);
        if (v == null) {
            return absent;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.intValue() < 0) {
            throw new JsonSchemaException(key + " at " + path + " must be a non-negative integer, found " + v);
        }
        return v.intValue();
    }

    static LiteralsNode literals(List<byte[]> values) {
        byte[][] sorted = values.stream().distinct().toArray(byte[][]::new);
        Arrays.sort(sorted, Arrays::compareUnsigned);
        List<byte[]> unique = new ArrayList<>();
        for (byte[] v : sorted) {
            if (unique.isEmpty() || !Arrays.equals(unique.getLast(), v)) {
                unique.add(v);
            }
        }
        return new LiteralsNode(unique.toArray(byte[][]::new));
    }

    /** Compact JSON of {@code value}, UTF-8. */
    static byte[] encode(JsonNode value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new JsonSchemaException("cannot encode " + value + ": " + e.getOriginalMessage());
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
