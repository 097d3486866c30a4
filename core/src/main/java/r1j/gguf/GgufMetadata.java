package r1j.gguf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The key/value metadata of a GGUF file, in file order, with typed getters. Values are boxed as
 * {@link GgufValueType} describes ({@code Byte/Short/Integer/Long}, {@code Float}, {@code Double}, {@code Boolean},
 * {@code String}) or are a {@link GgufArray}.
 *
 * <p>The integer getters accept any stored integer type whose value fits (GGUF writers differ: one stores
 * {@code context_length} as {@code UINT32}, another as {@code INT32}); the float getters accept any number. A missing
 * key or an unusable value throws {@link GgufMetadataException} naming the key, its stored type and the file;
 * the getters with a default return it only when the key is absent, never to hide a wrong type.
 */
public final class GgufMetadata {
    private final String source;
    private final Map<String, Object> values;
    private final Map<String, GgufValueType> types;

    /**
     * @param source what the metadata came from (a file name), used in error messages
     * @param values key to value, in file order
     * @param types  key to stored type; same keys as {@code values}
     */
    GgufMetadata(String source, LinkedHashMap<String, Object> values, Map<String, GgufValueType> types) {
        assert values.keySet().equals(types.keySet());
        this.source = source;
        this.values = Collections.unmodifiableMap(values);
        this.types = Map.copyOf(types);
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** All keys, in file order. */
    public Set<String> keys() {
        return values.keySet();
    }

    public int size() {
        return values.size();
    }

    /** The value of {@code key} (see the class comment for its Java type), or {@code null} if absent. */
    public Object get(String key) {
        return values.get(key);
    }

    /** The stored type of {@code key}, or {@code null} if absent. */
    public GgufValueType typeOf(String key) {
        return types.get(key);
    }

    /** @throws GgufMetadataException if absent or not a {@code STRING} */
    public String getString(String key) {
        return asString(key, require(key));
    }

    /** The string value, or {@code dflt} if the key is absent. @throws GgufMetadataException if not a string */
    public String getString(String key, String dflt) {
        Object v = values.get(key);
        return v == null ? dflt : asString(key, v);
    }

    /** @throws GgufMetadataException if absent, not an integer, or outside the {@code int} range */
    public int getInt(String key) {
        return asInt(key, require(key));
    }

    public int getInt(String key, int dflt) {
        Object v = values.get(key);
        return v == null ? dflt : asInt(key, v);
    }

    /**
     * The integer value as a {@code long}; a {@code UINT64} above {@link Long#MAX_VALUE} is rejected.
     *
     * @throws GgufMetadataException if absent or not an integer
     */
    public long getLong(String key) {
        return asLong(key, require(key));
    }

    public long getLong(String key, long dflt) {
        Object v = values.get(key);
        return v == null ? dflt : asLong(key, v);
    }

    /** @throws GgufMetadataException if absent or not a number */
    public float getFloat(String key) {
        return asFloat(key, require(key));
    }

    public float getFloat(String key, float dflt) {
        Object v = values.get(key);
        return v == null ? dflt : asFloat(key, v);
    }

    /** @throws GgufMetadataException if absent or not a {@code BOOL} */
    public boolean getBoolean(String key) {
        return asBoolean(key, require(key));
    }

    public boolean getBoolean(String key, boolean dflt) {
        Object v = values.get(key);
        return v == null ? dflt : asBoolean(key, v);
    }

    /** @throws GgufMetadataException if absent or not an array */
    public GgufArray getArray(String key) {
        Object v = require(key);
        if (v instanceof GgufArray a) return a;
        throw wrongType(key, "an array");
    }

    /** A copy of a {@code STRING} array. @throws GgufMetadataException if absent or not a string array */
    public String[] getStringArray(String key) {
        GgufArray a = getArray(key);
        if (a.elementType() != GgufValueType.STRING) throw wrongType(key, "a string array");
        return a.toStringArray();
    }

    /** An integer array as {@code int}s. @throws GgufMetadataException if absent, not integers, or out of range */
    public int[] getIntArray(String key) {
        GgufArray a = getArray(key);
        if (!a.elementType().integral()) throw wrongType(key, "an integer array");
        try {
            return a.toIntArray();
        } catch (GgufMetadataException e) {
            throw new GgufMetadataException("metadata key '%s' in %s: %s".formatted(key, source, e.getMessage()));
        }
    }

    /** A number array as {@code float}s. @throws GgufMetadataException if absent or not numbers */
    public float[] getFloatArray(String key) {
        GgufArray a = getArray(key);
        GgufValueType t = a.elementType();
        if (!t.integral() && t != GgufValueType.FLOAT32 && t != GgufValueType.FLOAT64) throw wrongType(key, "a number array");
        return a.toFloatArray();
    }

    /** One line per key: {@code key: TYPE = value}, long arrays abbreviated. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (String key : values.keySet()) sb.append(key).append(": ").append(describe(key)).append('\n');
        return sb.toString();
    }

    /**
     * The stored type and value of {@code key} for display, e.g. {@code UINT32 = 4096},
     * {@code STRING = "qwen2"}, {@code ARRAY[STRING] = ["a", "b", …] (151936 items)}.
     */
    public String describe(String key) {
        Object v = require(key);
        GgufValueType t = types.get(key);
        return switch (v) {
            case GgufArray a -> "ARRAY[" + a.elementType() + "] = " + a.abbreviated(8);
            case String s -> "STRING = " + GgufArray.quote(s);
            case Long l when t == GgufValueType.UINT64 -> t + " = " + Long.toUnsignedString(l);
            default -> t + " = " + v;
        };
    }

    private Object require(String key) {
        Object v = values.get(key);
        if (v == null) throw new GgufMetadataException("metadata key '%s' is missing in %s".formatted(key, source));
        return v;
    }

    private String asString(String key, Object v) {
        if (v instanceof String s) return s;
        throw wrongType(key, "a string");
    }

    private int asInt(String key, Object v) {
        long l = asLong(key, v);
        if (l != (int) l) {
            throw new GgufMetadataException("metadata key '%s' in %s is %d, which does not fit in an int"
                    .formatted(key, source, l));
        }
        return (int) l;
    }

    private long asLong(String key, Object v) {
        GgufValueType t = types.get(key);
        if (!t.integral()) throw wrongType(key, "an integer");
        long l = ((Number) v).longValue();
        if (t == GgufValueType.UINT64 && l < 0) {
            throw new GgufMetadataException("metadata key '%s' in %s is %s, which does not fit in a signed long"
                    .formatted(key, source, Long.toUnsignedString(l)));
        }
        return l;
    }

    private float asFloat(String key, Object v) {
        GgufValueType t = types.get(key);
        if (t == GgufValueType.UINT64 && (Long) v < 0) return Float.parseFloat(Long.toUnsignedString((Long) v));
        if (v instanceof Number n && (t.integral() || t == GgufValueType.FLOAT32 || t == GgufValueType.FLOAT64)) {
            return n.floatValue();
        }
        throw wrongType(key, "a number");
    }

    private boolean asBoolean(String key, Object v) {
        if (v instanceof Boolean b) return b;
        throw wrongType(key, "a boolean");
    }

    private GgufMetadataException wrongType(String key, String wanted) {
        GgufValueType t = types.get(key);
        String stored = values.get(key) instanceof GgufArray a ? "ARRAY[" + a.elementType() + "]" : String.valueOf(t);
        return new GgufMetadataException("metadata key '%s' in %s is %s, expected %s"
                .formatted(key, source, stored, wanted));
    }
}
