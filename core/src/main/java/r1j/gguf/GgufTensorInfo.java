package r1j.gguf;

import java.util.Arrays;
import java.util.Objects;
import r1j.tensor.GgmlType;

/**
 * One entry of a GGUF tensor table.
 *
 * <p>Dimensions are in ggml order: {@code dims[0]} ({@code ne[0]}) is the fastest-varying one, the length of a row;
 * a weight matrix {@code W [out, in]} in PyTorch terms is stored as {@code dims = [in, out]}. So
 * {@link #cols()} is {@code dims[0]} and {@link #rows()} the product of the others.
 *
 * @param name     tensor name, e.g. {@code blk.0.attn_q.weight}
 * @param dims     1 to 4 positive dimensions, {@code ne[0]} first (copied; the accessor returns a copy)
 * @param type     element type
 * @param offset   byte offset of the data relative to the start of the file's data section
 * @param byteSize bytes of data: {@code type.bytesFor(elements())}
 */
public record GgufTensorInfo(String name, long[] dims, GgmlType type, long offset, long byteSize) {

    public GgufTensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        dims = dims.clone();
        if (dims.length < 1 || dims.length > 4) {
            throw new IllegalArgumentException("tensor '%s' has %d dimensions; GGUF allows 1 to 4".formatted(name, dims.length));
        }
        for (long d : dims) {
            if (d <= 0) throw new IllegalArgumentException("tensor '%s' has dims %s; dimensions must be positive".formatted(name, Arrays.toString(dims)));
        }
        if (offset < 0 || byteSize < 0) {
            throw new IllegalArgumentException("tensor '%s': negative offset %d or size %d".formatted(name, offset, byteSize));
        }
    }

    /** A copy of the dimensions, {@code ne[0]} first. */
    @Override
    public long[] dims() {
        return dims.clone();
    }

    /** Number of dimensions (1 to 4). */
    public int nDims() {
        return dims.length;
    }

    /** Dimension {@code i} ({@code ne[i]}); 1 for {@code i >= nDims()}, as in ggml. */
    public long ne(int i) {
        return i < dims.length ? dims[i] : 1;
    }

    /** Total number of elements (product of the dimensions). */
    public long elements() {
        long n = 1;
        for (long d : dims) n *= d;
        return n;
    }

    /** Row length {@code ne[0]}, as an {@code int}. @throws ArithmeticException if it does not fit */
    public int cols() {
        return Math.toIntExact(dims[0]);
    }

    /** Number of rows: the product of {@code ne[1..]}, as an {@code int}. @throws ArithmeticException if too many */
    public int rows() {
        return Math.toIntExact(elements() / dims[0]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufTensorInfo t && name.equals(t.name) && Arrays.equals(dims, t.dims) && type == t.type
                && offset == t.offset && byteSize == t.byteSize;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(dims), type, offset, byteSize);
    }

    @Override
    public String toString() {
        return "%s %s %s (%d bytes at +%d)".formatted(name, type, Arrays.toString(dims), byteSize, offset);
    }
}
