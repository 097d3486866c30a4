package r1j.grammar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Seeded random JSON schemas of the supported subset, and random instances of them written independently of the
 * grammar code (from the schema text, by Jackson), for the matcher's property tests.
 */
final class RandomSchemas {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String[] NAMES = {"id", "name", "age", "tags", "score", "ok", "a", "ab", "abc", "x y",
            "naïve", "k\"q", "back\\slash", "日本", "items", "value"};
    private static final String[] CHARS = {"a", "b", "Z", "0", " ", "\"", "\\", "\n", "\t", "é", "中", "😀", "/", "{", "}", ":", ","};

    private final RandomGenerator random;

    RandomSchemas(RandomGenerator random) {
        this.random = random;
    }

    /** A random schema whose root is an object, with a {@code $defs} entry referenced from inside. */
    ObjectNode schema() {
        ObjectNode root = object(3);
        if (random.nextBoolean()) {
            ObjectNode defs = root.putObject("$defs");
            defs.set("Item", object(1));
            ObjectNode props = (ObjectNode) root.get("properties");
            ObjectNode ref = F.objectNode().put("$ref", "#/$defs/Item");
            props.set("ref" + random.nextInt(100), ref);
        }
        return root;
    }

    private ObjectNode value(int depth) {
        int kind = random.nextInt(depth > 0 ? 11 : 8);
        return switch (kind) {
            case 0 -> string();
            case 1 -> F.objectNode().put("type", "integer");
            case 2 -> F.objectNode().put("type", "number");
            case 3 -> F.objectNode().put("type", "boolean");
            case 4 -> F.objectNode().put("type", "null");
            case 5 -> enumeration();
            case 6 -> constant();
            case 7 -> {
                ObjectNode s = F.objectNode();
                ArrayNode types = s.putArray("type");
                types.add("string").add("null");
                yield s;
            }
            case 8 -> object(depth - 1);
            case 9 -> array(depth - 1);
            default -> anyOf(depth - 1);
        };
    }

    private ObjectNode string() {
        ObjectNode s = F.objectNode().put("type", "string");
        if (random.nextInt(3) == 0) {
            int min = random.nextInt(3);
            s.put("minLength", min);
            s.put("maxLength", min + random.nextInt(6));
        }
        if (random.nextInt(4) == 0) {
            s.put("description", "a string");
        }
        return s;
    }

    private ObjectNode enumeration() {
        ObjectNode s = F.objectNode();
        ArrayNode values = s.putArray("enum");
        values.add("red").add("re").add("a\"b").add(1).add(12).add(-3.5).add(true).add(F.nullNode());
        if (random.nextBoolean()) {
            values.add(F.objectNode().put("k", 1));
        }
        return s;
    }

    private ObjectNode constant() {
        ObjectNode s = F.objectNode();
        s.set("const", random.nextBoolean() ? F.textNode("fixed") : F.numberNode(42));
        return s;
    }

    private ObjectNode object(int depth) {
        ObjectNode s = F.objectNode().put("type", "object");
        ObjectNode props = s.putObject("properties");
        ArrayNode required = s.putArray("required");
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) {
            String name = NAMES[random.nextInt(NAMES.length)];
            if (props.has(name)) {
                continue;
            }
            props.set(name, value(depth));
            if (random.nextInt(3) > 0) {
                required.add(name);
            }
        }
        s.put("additionalProperties", false);
        return s;
    }

    private ObjectNode array(int depth) {
        ObjectNode s = F.objectNode().put("type", "array");
        s.set("items", value(depth));
        if (random.nextBoolean()) {
            int min = random.nextInt(3);
            s.put("minItems", min);
            s.put("maxItems", min + random.nextInt(3));
        }
        return s;
    }

    private ObjectNode anyOf(int depth) {
        ObjectNode s = F.objectNode();
        ArrayNode alts = s.putArray(random.nextBoolean() ? "anyOf" : "oneOf");
        alts.add(F.objectNode().put("type", "integer"));
        alts.add(string());
        alts.add(object(depth));
        return s;
    }

    /** A random instance of {@code schema} (resolved against {@code root} for references). */
    JsonNode instance(JsonNode schema, JsonNode root) {
        if (schema.has("$ref")) {
            return instance(root.at(schema.get("$ref").textValue().substring(1)), root);
        }
        if (schema.has("const")) {
            return schema.get("const");
        }
        if (schema.has("enum")) {
            return pick(schema.get("enum"));
        }
        for (String k : List.of("anyOf", "oneOf")) {
            if (schema.has(k)) {
                return instance(pick(schema.get(k)), root);
            }
        }
        JsonNode type = schema.get("type");
        String t = type.isArray() ? pick(type).textValue() : type.textValue();
        return switch (t) {
            case "object" -> {
                ObjectNode o = F.objectNode();
                List<String> required = new ArrayList<>();
                schema.get("required").forEach(r -> required.add(r.textValue()));
                for (Iterator<Map.Entry<String, JsonNode>> it = schema.get("properties").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (required.contains(e.getKey()) || random.nextBoolean()) {
                        o.set(e.getKey(), instance(e.getValue(), root));
                    }
                }
                yield o;
            }
            case "array" -> {
                ArrayNode a = F.arrayNode();
                int min = schema.path("minItems").asInt(0);
                int max = schema.path("maxItems").asInt(4);
                int n = min + random.nextInt(max - min + 1);
                for (int i = 0; i < n; i++) {
                    a.add(instance(schema.get("items"), root));
                }
                yield a;
            }
            case "string" -> {
                int min = schema.path("minLength").asInt(0);
                int max = schema.path("maxLength").asInt(8);
                int n = min + random.nextInt(max - min + 1);
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < n; i++) {
                    sb.append(CHARS[random.nextInt(CHARS.length)]);
                }
                yield F.textNode(sb.toString());
            }
            case "integer" -> F.numberNode(random.nextLong(-1_000_000_000_000L, 1_000_000_000_000L));
            case "number" -> random.nextBoolean()
                    ? F.numberNode(random.nextInt(-1000, 1000) / 8.0)
                    : F.numberNode(random.nextDouble() * Math.pow(10, random.nextInt(-20, 20)));
            case "boolean" -> F.booleanNode(random.nextBoolean());
            case "null" -> F.nullNode();
            default -> throw new IllegalStateException("type " + t);
        };
    }

    private JsonNode pick(JsonNode array) {
        return array.get(random.nextInt(array.size()));
    }
}
