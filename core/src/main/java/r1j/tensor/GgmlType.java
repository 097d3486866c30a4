package r1j.tensor;

/**
 * The ggml tensor types as data: the id a GGUF file stores, how many elements one block holds and how many
 * bytes it takes. Layouts follow ggml's {@code ggml-common.h}; the kernels for each type live in their own classes.
 *
 * <p>Types r1j can read and compute with have {@link #supported()} true; the others are listed so that a file
 * using them fails with a message naming the type instead of "unknown id".
 */
public enum GgmlType {
    F32(0, 1, 4, true),
    F16(1, 1, 2, true),
    Q4_0(2, 32, 18, true),
    Q4_1(3, 32, 20, true),
    Q5_0(6, 32, 22, true),
    Q5_1(7, 32, 24, true),
    Q8_0(8, 32, 34, true),
    Q8_1(9, 32, 36, false),
    Q2_K(10, 256, 84, true),
    Q3_K(11, 256, 110, true),
    Q4_K(12, 256, 144, true),
    Q5_K(13, 256, 176, true),
    Q6_K(14, 256, 210, true),
    Q8_K(15, 256, 292, false),
    IQ2_XXS(16, 256, 66, false),
    IQ2_XS(17, 256, 74, false),
    IQ3_XXS(18, 256, 98, false),
    IQ1_S(19, 256, 50, false),
    IQ4_NL(20, 32, 18, false),
    IQ3_S(21, 256, 110, false),
    IQ2_S(22, 256, 82, false),
    IQ4_XS(23, 256, 136, false),
    I8(24, 1, 1, false),
    I16(25, 1, 2, false),
    I32(26, 1, 4, false),
    I64(27, 1, 8, false),
    F64(28, 1, 8, false),
    IQ1_M(29, 256, 56, false),
    BF16(30, 1, 2, true),
    TQ1_0(34, 256, 54, false),
    TQ2_0(35, 256, 66, false);

    private static final GgmlType[] BY_ID = new GgmlType[64];

    static {
        for (GgmlType t : values()) BY_ID[t.id] = t;
    }

    private final int id;
    private final int blockSize;
    private final int bytesPerBlock;
    private final boolean supported;

    GgmlType(int id, int blockSize, int bytesPerBlock, boolean supported) {
        this.id = id;
        this.blockSize = blockSize;
        this.bytesPerBlock = bytesPerBlock;
        this.supported = supported;
    }

    /** The numeric id stored in GGUF tensor infos. */
    public int id() { return id; }

    /** Elements per block (1 for plain float and integer types). */
    public int blockSize() { return blockSize; }

    /** Bytes one block occupies. */
    public int bytesPerBlock() { return bytesPerBlock; }

    /** Whether r1j has kernels for this type. */
    public boolean supported() { return supported; }

    public boolean quantized() { return blockSize > 1; }

    /**
     * Bytes taken by {@code elements} values of this type.
     *
     * @throws IllegalArgumentException if {@code elements} is not a whole number of blocks
     */
    public long bytesFor(long elements) {
        if (elements % blockSize != 0) {
            throw new IllegalArgumentException(
                    "%d elements of %s is not a whole number of %d-element blocks".formatted(elements, this, blockSize));
        }
        return elements / blockSize * bytesPerBlock;
    }

    /** The type with this GGUF id, or {@code null} if ggml defines none. */
    public static GgmlType byId(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}
