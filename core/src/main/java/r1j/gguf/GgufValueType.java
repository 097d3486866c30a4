package r1j.gguf;

/**
 * The types a GGUF metadata value can have, with the id the file stores before each value.
 *
 * <p>How the reader represents each type in Java (see {@link GgufMetadata#get(String)}): signed integers keep their
 * width ({@code Byte}, {@code Short}, {@code Integer}, {@code Long}); unsigned ones are widened so that no value turns
 * negative ({@code UINT8} → {@code Short}, {@code UINT16} → {@code Integer}, {@code UINT32} → {@code Long}), except
 * {@code UINT64}, which is a {@code Long} holding the unsigned bits (use {@link Long#toUnsignedString(long)}).
 */
public enum GgufValueType {
    UINT8(0, 1),
    INT8(1, 1),
    UINT16(2, 2),
    INT16(3, 2),
    UINT32(4, 4),
    INT32(5, 4),
    FLOAT32(6, 4),
    BOOL(7, 1),
    STRING(8, 8),
    ARRAY(9, 12),
    UINT64(10, 8),
    INT64(11, 8),
    FLOAT64(12, 8);

    private static final GgufValueType[] BY_ID = values();

    private final int id;
    private final int minBytes;

    GgufValueType(int id, int minBytes) {
        this.id = id;
        this.minBytes = minBytes;
    }

    /** The id stored in the file. */
    public int id() {
        return id;
    }

    /**
     * The fewest bytes one value of this type takes in a file (a string is at least its 8-byte length, an array at
     * least its element type and 8-byte count); the reader uses it to reject counts the file could not hold.
     */
    int minBytes() {
        return minBytes;
    }

    /** Whether values of this type are integers (signed or unsigned, any width). */
    public boolean integral() {
        return switch (this) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> true;
            case FLOAT32, FLOAT64, BOOL, STRING, ARRAY -> false;
        };
    }

    /** The type with this id, or {@code null} if GGUF defines none. */
    public static GgufValueType byId(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}
