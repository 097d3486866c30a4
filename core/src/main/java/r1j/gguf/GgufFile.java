package r1j.gguf;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import r1j.tensor.UnsupportedTensorTypeException;
import r1j.tensor.WeightMatrix;

/**
 * An open GGUF file: the whole file mapped read-only with FFM (any size; files over 2 GiB need nothing special), its
 * validated header, and tensor data as slices of the mapping. Opening reads only the header, so a 40 GB model
 * opens in milliseconds and the OS pages in the weights as they are used; nothing is copied to the heap.
 *
 * <p>The mapping lives in a shared arena: segments returned by {@link #data} may be read from any thread until
 * {@link #close()}, after which reading them throws {@link IllegalStateException}.
 */
public final class GgufFile implements AutoCloseable {
    private final Path path;
    private final Arena arena;
    private final MemorySegment mapped;
    private final GgufParser.Header header;
    private final Map<String, GgufTensorInfo> byName;

    private GgufFile(Path path, Arena arena, MemorySegment mapped, GgufParser.Header header) {
        this.path = path;
        this.arena = arena;
        this.mapped = mapped;
        this.header = header;
        this.byName = new HashMap<>(header.tensors().size() * 2);
        for (GgufTensorInfo t : header.tensors()) byName.put(t.name(), t);
    }

    /**
     * Maps {@code path} and reads its header.
     *
     * @throws GgufFormatException if the file is not a valid GGUF v2/v3 file; the message names the problem
     * @throws IOException         if the file cannot be opened or mapped
     */
    public static GgufFile open(Path path) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size == 0) throw new GgufFormatException("'%s' is not a GGUF file: it is empty".formatted(path));
            MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            return new GgufFile(path, arena, mapped, GgufParser.parse(mapped, path.toString()));
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /** GGUF version, 2 or 3. */
    public int version() {
        return header.version();
    }

    public GgufMetadata metadata() {
        return header.metadata();
    }

    /** The tensor table in file order (unmodifiable). */
    public List<GgufTensorInfo> tensors() {
        return header.tensors();
    }

    /** The tensor named {@code name}, or {@code null} if the file has none. */
    public GgufTensorInfo tensor(String name) {
        return byName.get(name);
    }

    /**
     * The data of tensor {@code t}: a read-only slice of the mapping, {@code t.byteSize()} bytes, no copy.
     *
     * @throws IllegalArgumentException if {@code t} is not a tensor of this file
     */
    public MemorySegment data(GgufTensorInfo t) {
        if (!t.equals(byName.get(t.name()))) {
            throw new IllegalArgumentException("tensor '%s' is not a tensor of %s".formatted(t.name(), path));
        }
        return mapped.asSlice(header.dataOffset() + t.offset(), t.byteSize());
    }

    /**
     * The data of the tensor named {@code name}.
     *
     * @throws IllegalArgumentException if the file has no such tensor
     */
    public MemorySegment data(String name) {
        return data(require(name));
    }

    /**
     * The tensor named {@code name} as a {@code [rows][cols]} matrix over the mapping ({@code cols = ne[0]},
     * {@code rows} the product of the other dimensions; a 1-D tensor is one row). Nothing is copied.
     *
     * @throws IllegalArgumentException if the file has no such tensor, or its type has no r1j kernels (the message
     *                                  names the tensor and the type; the cause is the
     *                                  {@link UnsupportedTensorTypeException}), or it has more than 2^31-1 rows or columns
     */
    public WeightMatrix matrix(String name) {
        return matrix(require(name));
    }

    /** {@link #matrix(String)} for a tensor info of this file. */
    public WeightMatrix matrix(GgufTensorInfo t) {
        MemorySegment data = data(t);
        if (t.ne(0) > Integer.MAX_VALUE || t.elements() / t.ne(0) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor '%s' in %s has dims %s: more than 2^31-1 rows or columns"
                    .formatted(t.name(), path, Arrays.toString(t.dims())));
        }
        try {
            return WeightMatrix.of(t.type(), data, t.rows(), t.cols());
        } catch (UnsupportedTensorTypeException e) {
            throw new IllegalArgumentException("tensor '%s' in %s has type %s, which r1j cannot compute with: %s"
                    .formatted(t.name(), path, t.type(), e.getMessage()), e);
        }
    }

    /**
     * The tensor named {@code name} dequantized to a new {@code float[elements]} in storage order: for small
     * tensors (norm weights, biases), not for weight matrices, which stay in the mapping.
     *
     * @throws IllegalArgumentException as {@link #matrix(String)}, or if the tensor has 2^31 elements or more
     */
    public float[] floats(String name) {
        WeightMatrix m = matrix(name);
        long n = (long) m.rows() * m.cols();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensor '%s' has %d elements, too many for a float[]".formatted(name, n));
        }
        float[] out = new float[(int) n];
        for (int r = 0; r < m.rows(); r++) m.dequantizeRow(r, out, r * m.cols());
        return out;
    }

    /** The alignment of tensor data ({@code general.alignment}, default 32). */
    public int alignment() {
        return header.alignment();
    }

    /**
     * Absolute file offset of the data section, where tensor offsets start: the end of the header rounded up to
     * the alignment. In a file without tensors (a vocabulary-only file) it may lie past the end of the file.
     */
    public long dataOffset() {
        return header.dataOffset();
    }

    public Path path() {
        return path;
    }

    /**
     * Where {@code slice} (a segment returned by {@link #data}, or a slice of one) starts in the file, in bytes: to
     * read a tensor's bytes with a file channel instead of touching its mapped pages.
     *
     * @throws IllegalArgumentException if {@code slice} is not inside this file's mapping
     */
    public long fileOffset(MemorySegment slice) {
        long offset = slice.address() - mapped.address();
        if (offset < 0 || offset + slice.byteSize() > mapped.byteSize()) {
            throw new IllegalArgumentException("segment is not inside the mapping of " + path);
        }
        return offset;
    }

    public long fileSize() {
        return mapped.byteSize();
    }

    /** Unmaps the file; segments from {@link #data} become unusable. */
    @Override
    public void close() {
        arena.close();
    }

    @Override
    public String toString() {
        return "GgufFile[%s, v%d, %d keys, %d tensors]".formatted(path, version(), metadata().size(), tensors().size());
    }

    private GgufTensorInfo require(String name) {
        GgufTensorInfo t = byName.get(name);
        if (t == null) {
            throw new IllegalArgumentException("tensor '%s' is not in %s (it has %d tensors)".formatted(name, path, byName.size()));
        }
        return t;
    }
}
