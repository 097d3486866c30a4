package r1j.gguf;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A GGUF array value: an element type and the elements, kept in a primitive Java array of the stored width so that a
 * 150k-entry score or token-type array costs one allocation. Unsigned elements are kept as their bits
 * ({@code UINT8} in a {@code byte[]}); the accessors widen them as {@link GgufValueType} describes.
 *
 * <p>Backing arrays by element type: {@code UINT8, INT8 → byte[]}, {@code UINT16, INT16 → short[]},
 * {@code UINT32, INT32 → int[]}, {@code UINT64, INT64 → long[]}, {@code FLOAT32 → float[]},
 * {@code FLOAT64 → double[]}, {@code BOOL → boolean[]}, {@code STRING → String[]}, {@code ARRAY → GgufArray[]}
 * (nested arrays, each with its own element type). Instances are immutable: factories and accessors copy.
 */
public final class GgufArray {
    private final GgufValueType elementType;
    private final Object values;
    private final int size;

    private GgufArray(GgufValueType elementType, Object values) {
        this.elementType = Objects.requireNonNull(elementType, "elementType");
        this.values = values;
        this.size = java.lang.reflect.Array.getLength(values);
        Class<?> expected = backingClass(elementType);
        if (values.getClass() != expected) {
            throw new IllegalArgumentException("a GGUF %s array needs a %s, not a %s"
                    .formatted(elementType, expected.getSimpleName(), values.getClass().getSimpleName()));
        }
        if (values instanceof Object[] objects) {
            for (int i = 0; i < objects.length; i++) {
                if (objects[i] == null) throw new IllegalArgumentException("element " + i + " of a GGUF array is null");
            }
        }
    }

    /**
     * An array of {@code elementType} over {@code values} (copied), which must be the backing array type listed in
     * the class comment, e.g. {@code of(UINT32, new int[]{...})}.
     *
     * @throws IllegalArgumentException if the Java array does not match the element type
     */
    public static GgufArray of(GgufValueType elementType, Object values) {
        Objects.requireNonNull(values, "values");
        if (!values.getClass().isArray()) throw new IllegalArgumentException("not an array: " + values.getClass());
        return new GgufArray(elementType, copyOf(values));
    }

    /** Wraps an array the reader just built; no copy. */
    static GgufArray wrap(GgufValueType elementType, Object values) {
        return new GgufArray(elementType, values);
    }

    public static GgufArray ofStrings(String... values) {
        return of(GgufValueType.STRING, values);
    }

    public static GgufArray ofInt32(int... values) {
        return of(GgufValueType.INT32, values);
    }

    public static GgufArray ofFloat32(float... values) {
        return of(GgufValueType.FLOAT32, values);
    }

    public static GgufArray ofArrays(GgufArray... values) {
        return of(GgufValueType.ARRAY, values);
    }

    /** The type of every element. */
    public GgufValueType elementType() {
        return elementType;
    }

    public int size() {
        return size;
    }

    /**
     * Element {@code i}, boxed the way {@link GgufMetadata#get(String)} boxes a scalar of the element type
     * ({@code UINT8} → {@code Short}, {@code UINT32} → {@code Long}, ...), a {@code String}, or a nested
     * {@code GgufArray}.
     */
    public Object get(int i) {
        Objects.checkIndex(i, size);
        return switch (elementType) {
            case UINT8 -> (short) Byte.toUnsignedInt(((byte[]) values)[i]);
            case INT8 -> ((byte[]) values)[i];
            case UINT16 -> Short.toUnsignedInt(((short[]) values)[i]);
            case INT16 -> ((short[]) values)[i];
            case UINT32 -> Integer.toUnsignedLong(((int[]) values)[i]);
            case INT32 -> ((int[]) values)[i];
            case UINT64, INT64 -> ((long[]) values)[i];
            case FLOAT32 -> ((float[]) values)[i];
            case FLOAT64 -> ((double[]) values)[i];
            case BOOL -> ((boolean[]) values)[i];
            case STRING -> ((String[]) values)[i];
            case ARRAY -> ((GgufArray[]) values)[i];
        };
    }

    /** The elements as a read-only list of the boxed values {@link #get(int)} returns. */
    public List<Object> asList() {
        return new AbstractList<>() {
            @Override
            public Object get(int index) {
                return GgufArray.this.get(index);
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    /**
     * The elements as {@code int}s.
     *
     * @throws GgufMetadataException if the elements are not integers or one does not fit in an {@code int}
     */
    public int[] toIntArray() {
        if (elementType == GgufValueType.INT32) return ((int[]) values).clone();
        long[] wide = toLongArray();
        int[] out = new int[size];
        for (int i = 0; i < size; i++) {
            if (wide[i] != (int) wide[i] || (elementType == GgufValueType.UINT64 && wide[i] < 0)) {
                throw new GgufMetadataException("element %d of a %s array (%s) does not fit in an int"
                        .formatted(i, elementType, get(i)));
            }
            out[i] = (int) wide[i];
        }
        return out;
    }

    /**
     * The elements as {@code long}s ({@code UINT64} elements keep their bits).
     *
     * @throws GgufMetadataException if the elements are not integers
     */
    public long[] toLongArray() {
        long[] out = new long[size];
        switch (elementType) {
            case UINT8 -> { byte[] a = (byte[]) values; for (int i = 0; i < size; i++) out[i] = Byte.toUnsignedLong(a[i]); }
            case INT8 -> { byte[] a = (byte[]) values; for (int i = 0; i < size; i++) out[i] = a[i]; }
            case UINT16 -> { short[] a = (short[]) values; for (int i = 0; i < size; i++) out[i] = Short.toUnsignedLong(a[i]); }
            case INT16 -> { short[] a = (short[]) values; for (int i = 0; i < size; i++) out[i] = a[i]; }
            case UINT32 -> { int[] a = (int[]) values; for (int i = 0; i < size; i++) out[i] = Integer.toUnsignedLong(a[i]); }
            case INT32 -> { int[] a = (int[]) values; for (int i = 0; i < size; i++) out[i] = a[i]; }
            case UINT64, INT64 -> System.arraycopy(values, 0, out, 0, size);
            case FLOAT32, FLOAT64, BOOL, STRING, ARRAY ->
                    throw new GgufMetadataException("a " + elementType + " array is not an integer array");
        }
        return out;
    }

    /**
     * The elements as {@code float}s (integers and doubles converted).
     *
     * @throws GgufMetadataException if the elements are not numbers
     */
    public float[] toFloatArray() {
        return switch (elementType) {
            case FLOAT32 -> ((float[]) values).clone();
            case FLOAT64 -> {
                double[] a = (double[]) values;
                float[] out = new float[size];
                for (int i = 0; i < size; i++) out[i] = (float) a[i];
                yield out;
            }
            case BOOL, STRING, ARRAY -> throw new GgufMetadataException("a " + elementType + " array is not a number array");
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> {
                long[] a = toLongArray();
                float[] out = new float[size];
                for (int i = 0; i < size; i++) out[i] = a[i];
                yield out;
            }
        };
    }

    /**
     * The elements as strings.
     *
     * @throws GgufMetadataException if the elements are not strings
     */
    public String[] toStringArray() {
        if (elementType != GgufValueType.STRING) {
            throw new GgufMetadataException("a " + elementType + " array is not a string array");
        }
        return ((String[]) values).clone();
    }

    /** A copy of the backing array (see the class comment for its type). */
    public Object toArray() {
        return copyOf(values);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufArray other && elementType == other.elementType
                && Objects.deepEquals(values, other.values);
    }

    @Override
    public int hashCode() {
        return 31 * elementType.hashCode() + Arrays.deepHashCode(new Object[]{values});
    }

    /** Up to 8 elements and the count, e.g. {@code [1, 2, 3, …] (150000 items)}. */
    @Override
    public String toString() {
        return abbreviated(8);
    }

    /** The first {@code limit} elements, then {@code …} and the count if there are more. */
    public String abbreviated(int limit) {
        StringBuilder sb = new StringBuilder("[");
        int shown = Math.min(limit, size);
        for (int i = 0; i < shown; i++) {
            if (i > 0) sb.append(", ");
            Object v = get(i);
            if (v instanceof String s) sb.append(quote(s));
            else if (v instanceof GgufArray a) sb.append(a.abbreviated(limit));
            else if (elementType == GgufValueType.UINT64) sb.append(Long.toUnsignedString((Long) v));
            else sb.append(v);
        }
        if (size > shown) sb.append(shown > 0 ? ", …" : "…");
        sb.append(']');
        if (size > shown) sb.append(" (").append(size).append(" items)");
        return sb.toString();
    }

    /** A string in double quotes with control characters, quotes and backslashes escaped, for one-line display. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append("\\u%04x".formatted((int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }

    static Class<?> backingClass(GgufValueType type) {
        return switch (type) {
            case UINT8, INT8 -> byte[].class;
            case UINT16, INT16 -> short[].class;
            case UINT32, INT32 -> int[].class;
            case UINT64, INT64 -> long[].class;
            case FLOAT32 -> float[].class;
            case FLOAT64 -> double[].class;
            case BOOL -> boolean[].class;
            case STRING -> String[].class;
            case ARRAY -> GgufArray[].class;
        };
    }

    private static Object copyOf(Object array) {
        return switch (array) {
            case byte[] a -> a.clone();
            case short[] a -> a.clone();
            case int[] a -> a.clone();
            case long[] a -> a.clone();
            case float[] a -> a.clone();
            case double[] a -> a.clone();
            case boolean[] a -> a.clone();
            case Object[] a -> a.clone();
            default -> throw new IllegalArgumentException("not a supported array: " + array.getClass());
        };
    }
}
