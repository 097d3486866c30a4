package r1j.gguf;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import r1j.tensor.GgmlType;

/**
 * Builds a GGUF version 3 file: metadata in insertion order, tensors in insertion order, each tensor's data aligned
 * to {@code general.alignment} (default 32) and padded with zeros, as llama.cpp writes them.
 *
 * <p>{@link #write(Path)} writes a temporary file beside the target and moves it into place, so a reader never sees
 * a half-written file and a failed write leaves nothing behind. Tensor data are referenced, not copied, until then;
 * a tensor may also be given as a {@link Supplier} that makes its data at write time, one tensor after another, so a
 * file larger than the heap (a synthetic 16B-parameter model) is written holding only one tensor at a time.
 *
 * <pre>{@code
 * new GgufWriter()
 *         .putString("general.architecture", "qwen2")
 *         .putUint32("qwen2.block_count", 2)
 *         .putArray("tokenizer.ggml.tokens", GgufArray.ofStrings(tokens))
 *         .addTensor("token_embd.weight", GgmlType.F32, new long[]{dim, vocab}, bytes)
 *         .write(path);
 * }</pre>
 */
public final class GgufWriter {
    private static final int CHUNK = 1 << 22;

    /** {@code data}: the bytes, made at write time; {@code null} for a zero tensor (a hole in the file). */
    private record Tensor(String name, GgmlType type, long[] dims, long byteSize, Supplier<MemorySegment> data) {}

    private final LinkedHashMap<String, Object> values = new LinkedHashMap<>();
    private final Map<String, GgufValueType> types = new LinkedHashMap<>();
    private final List<Tensor> tensors = new ArrayList<>();
    private final Set<String> tensorNames = new HashSet<>();

    /**
     * Sets {@code key} to {@code value} stored as {@code type}, replacing an earlier value (the key keeps its first
     * position). Integer types take any {@link Number} in their range (unsigned ones from 0; {@code UINT64} takes the
     * bits of a {@code long}), floats any number, {@code BOOL} a {@code Boolean}, {@code STRING} a {@code String},
     * {@code ARRAY} a {@link GgufArray}.
     *
     * @throws IllegalArgumentException if the value does not fit the type
     */
    public GgufWriter put(String key, GgufValueType type, Object value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value of " + key);
        values.put(key, normalize(key, type, value));
        types.put(key, type);
        return this;
    }

    public GgufWriter putString(String key, String value) { return put(key, GgufValueType.STRING, value); }

    public GgufWriter putBool(String key, boolean value) { return put(key, GgufValueType.BOOL, value); }

    public GgufWriter putUint8(String key, int value) { return put(key, GgufValueType.UINT8, value); }

    public GgufWriter putInt8(String key, int value) { return put(key, GgufValueType.INT8, value); }

    public GgufWriter putUint16(String key, int value) { return put(key, GgufValueType.UINT16, value); }

    public GgufWriter putInt16(String key, int value) { return put(key, GgufValueType.INT16, value); }

    public GgufWriter putUint32(String key, long value) { return put(key, GgufValueType.UINT32, value); }

    public GgufWriter putInt32(String key, int value) { return put(key, GgufValueType.INT32, value); }

    /** Stores the bits of {@code value} as an unsigned 64-bit integer. */
    public GgufWriter putUint64(String key, long value) { return put(key, GgufValueType.UINT64, value); }

    public GgufWriter putInt64(String key, long value) { return put(key, GgufValueType.INT64, value); }

    public GgufWriter putFloat32(String key, float value) { return put(key, GgufValueType.FLOAT32, value); }

    public GgufWriter putFloat64(String key, double value) { return put(key, GgufValueType.FLOAT64, value); }

    public GgufWriter putArray(String key, GgufArray value) { return put(key, GgufValueType.ARRAY, value); }

    public GgufWriter putStringArray(String key, String... values) { return putArray(key, GgufArray.ofStrings(values)); }

    public GgufWriter putInt32Array(String key, int... values) { return putArray(key, GgufArray.ofInt32(values)); }

    public GgufWriter putFloat32Array(String key, float... values) { return putArray(key, GgufArray.ofFloat32(values)); }

    /** Copies every key of {@code metadata} with its stored type (e.g. to rewrite a file with other tensors). */
    public GgufWriter putAll(GgufMetadata metadata) {
        for (String key : metadata.keys()) put(key, metadata.typeOf(key), metadata.get(key));
        return this;
    }

    /** Removes {@code key} if present. */
    public GgufWriter remove(String key) {
        values.remove(key);
        types.remove(key);
        return this;
    }

    /**
     * Sets the data alignment ({@code general.alignment}, a {@code UINT32}); without it readers use 32.
     *
     * @throws IllegalArgumentException if not a power of two
     */
    public GgufWriter alignment(int alignment) {
        if (alignment <= 0 || Integer.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment must be a power of two, not " + alignment);
        }
        return putUint32(GgufParser.ALIGNMENT_KEY, alignment);
    }

    /** Adds a tensor whose data are {@code data} (not copied until {@link #write}). See {@link #addTensor(String, GgmlType, long[], MemorySegment)}. */
    public GgufWriter addTensor(String name, GgmlType type, long[] dims, byte[] data) {
        return addTensor(name, type, dims, MemorySegment.ofArray(data));
    }

    /**
     * Adds a tensor; its data must be exactly {@code type.bytesFor(product of dims)} bytes in the type's block
     * layout. The segment is read at {@link #write} time, so it must stay valid until then.
     *
     * @param dims 1 to 4 positive dimensions, {@code ne[0]} (the row length) first; {@code ne[0]} must be a
     *             multiple of the type's block size
     * @throws IllegalArgumentException on a duplicate name, bad dims, or a data size that does not match
     */
    public GgufWriter addTensor(String name, GgmlType type, long[] dims, MemorySegment data) {
        Objects.requireNonNull(data, "data of tensor " + name);
        long byteSize = checkedByteSize(name, type, dims);
        if (data.byteSize() != byteSize) {
            throw new IllegalArgumentException("tensor '%s' (%s %s) needs %d bytes of data, got %d"
                    .formatted(name, type, Arrays.toString(dims), byteSize, data.byteSize()));
        }
        tensors.add(new Tensor(name, type, dims.clone(), byteSize, () -> data));
        tensorNames.add(name);
        return this;
    }

    /**
     * Adds a tensor whose data {@code data} makes when {@link #write} reaches it: tensors are made in insertion order
     * and each is dropped once written, so writing holds one tensor's data at a time. The supplied segment must be
     * exactly {@code type.bytesFor(product of dims)} bytes in the type's block layout.
     *
     * @throws IllegalArgumentException on a duplicate name or bad dims (here), or from {@link #write} when the supplied
     *                                  data have the wrong size
     */
    public GgufWriter addTensor(String name, GgmlType type, long[] dims, Supplier<MemorySegment> data) {
        Objects.requireNonNull(data, "data of tensor " + name);
        long byteSize = checkedByteSize(name, type, dims);
        tensors.add(new Tensor(name, type, dims.clone(), byteSize, data));
        tensorNames.add(name);
        return this;
    }

    /**
     * Adds a tensor of zero bytes without materialising them: the writer skips its data region, which the file
     * system leaves as a hole on file systems with sparse files. Useful for huge test files and for writing the
     * header of a file whose data are filled in later.
     */
    public GgufWriter addZeroTensor(String name, GgmlType type, long[] dims) {
        long byteSize = checkedByteSize(name, type, dims);
        tensors.add(new Tensor(name, type, dims.clone(), byteSize, null));
        tensorNames.add(name);
        return this;
    }

    /**
     * Writes the file atomically: to a temporary file in the target's directory, forced to disk, then moved over
     * {@code path}. On failure the temporary file is deleted and {@code path} is untouched.
     */
    public void write(Path path) throws IOException {
        Path absolute = path.toAbsolutePath();
        // Not Files.createTempFile: that makes the file owner-only (0600); CREATE_NEW gives the usual umask mode.
        Path tmp = absolute.resolveSibling("." + absolute.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".tmp");
        FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            try (FileChannel ch = channel) {
                writeTo(ch);
                ch.force(true);
            }
            try {
                Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException | Error e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    private void writeTo(FileChannel ch) throws IOException {
        int alignment = alignment();
        long[] offsets = new long[tensors.size()];
        long next = 0;
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = next;
            next = GgufParser.alignUp(next + tensors.get(i).byteSize(), alignment);
        }
        byte[] header = header(offsets);
        writeFully(ch, ByteBuffer.wrap(header), 0);
        long dataOffset = GgufParser.alignUp(header.length, alignment);
        long end = dataOffset + next;
        byte[] chunk = new byte[(int) Math.min(CHUNK, Math.max(1, maxTensorBytes()))];
        for (int i = 0; i < offsets.length; i++) {
            Tensor t = tensors.get(i);
            if (t.data() == null) continue;
            MemorySegment data = t.data().get();
            if (data.byteSize() != t.byteSize()) {
                throw new IllegalArgumentException("tensor '%s' (%s %s) needs %d bytes of data, its supplier made %d"
                        .formatted(t.name(), t.type(), Arrays.toString(t.dims()), t.byteSize(), data.byteSize()));
            }
            long at = dataOffset + offsets[i];
            for (long done = 0; done < data.byteSize(); ) {
                int n = (int) Math.min(chunk.length, data.byteSize() - done);
                MemorySegment.copy(data, ValueLayout.JAVA_BYTE, done, chunk, 0, n);
                writeFully(ch, ByteBuffer.wrap(chunk, 0, n), at + done);
                done += n;
            }
        }
        // Padding and skipped zero tensors are holes; one byte at the end gives the file its full length. A file
        // without tensors ends with its header, as llama.cpp writes vocabulary-only files.
        if (!tensors.isEmpty() && ch.size() < end) writeFully(ch, ByteBuffer.wrap(new byte[1]), end - 1);
    }

    private byte[] header(long[] offsets) {
        LeBytes out = new LeBytes();
        out.u32(GgufParser.MAGIC);
        out.u32(3);
        out.u64(tensors.size());
        out.u64(values.size());
        for (Map.Entry<String, Object> e : values.entrySet()) {
            out.string(e.getKey());
            GgufValueType type = types.get(e.getKey());
            out.u32(type.id());
            value(out, type, e.getValue());
        }
        for (int i = 0; i < offsets.length; i++) {
            Tensor t = tensors.get(i);
            out.string(t.name());
            out.u32(t.dims().length);
            for (long d : t.dims()) out.u64(d);
            out.u32(t.type().id());
            out.u64(offsets[i]);
        }
        return out.toByteArray();
    }

    private static void value(LeBytes out, GgufValueType type, Object v) {
        switch (type) {
            case UINT8, INT8 -> out.u8(((Number) v).byteValue());
            case UINT16, INT16 -> out.u16(((Number) v).shortValue());
            case UINT32, INT32 -> out.u32(((Number) v).intValue());
            case UINT64, INT64 -> out.u64((Long) v);
            case FLOAT32 -> out.u32(Float.floatToRawIntBits((Float) v));
            case FLOAT64 -> out.u64(Double.doubleToRawLongBits((Double) v));
            case BOOL -> out.u8((byte) ((Boolean) v ? 1 : 0));
            case STRING -> out.string((String) v);
            case ARRAY -> array(out, (GgufArray) v);
        }
    }

    private static void array(LeBytes out, GgufArray a) {
        out.u32(a.elementType().id());
        out.u64(a.size());
        Object values = a.toArray();
        switch (values) {
            case byte[] x -> { for (byte b : x) out.u8(b); }
            case short[] x -> { for (short s : x) out.u16(s); }
            case int[] x -> { for (int i : x) out.u32(i); }
            case long[] x -> { for (long l : x) out.u64(l); }
            case float[] x -> { for (float f : x) out.u32(Float.floatToRawIntBits(f)); }
            case double[] x -> { for (double d : x) out.u64(Double.doubleToRawLongBits(d)); }
            case boolean[] x -> { for (boolean b : x) out.u8((byte) (b ? 1 : 0)); }
            case String[] x -> { for (String s : x) out.string(s); }
            case GgufArray[] x -> { for (GgufArray nested : x) array(out, nested); }
            default -> throw new AssertionError(values.getClass());
        }
    }

    private int alignment() {
        Object a = values.get(GgufParser.ALIGNMENT_KEY);
        if (a == null) return GgufParser.DEFAULT_ALIGNMENT;
        if (!types.get(GgufParser.ALIGNMENT_KEY).integral()) {
            throw new IllegalArgumentException(GgufParser.ALIGNMENT_KEY + " must be an integer, not " + types.get(GgufParser.ALIGNMENT_KEY));
        }
        long v = ((Number) a).longValue();
        if (v <= 0 || v > (1 << 30) || Long.bitCount(v) != 1) {
            throw new IllegalArgumentException(GgufParser.ALIGNMENT_KEY + " must be a power of two, not " + v);
        }
        return (int) v;
    }

    private long maxTensorBytes() {
        long max = 0;
        for (Tensor t : tensors) if (t.data() != null) max = Math.max(max, t.byteSize());
        return max;
    }

    private long checkedByteSize(String name, GgmlType type, long[] dims) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type of tensor " + name);
        if (dims.length < 1 || dims.length > 4) {
            throw new IllegalArgumentException("tensor '%s' has %d dimensions; GGUF allows 1 to 4".formatted(name, dims.length));
        }
        long elements = 1;
        for (long d : dims) {
            if (d <= 0) throw new IllegalArgumentException("tensor '%s' has dims %s; dimensions must be positive".formatted(name, Arrays.toString(dims)));
            elements = Math.multiplyExact(elements, d);
        }
        if (dims[0] % type.blockSize() != 0) {
            throw new IllegalArgumentException("tensor '%s' of type %s has ne[0] = %d, not a multiple of the %d-element block"
                    .formatted(name, type, dims[0], type.blockSize()));
        }
        if (tensorNames.contains(name)) throw new IllegalArgumentException("duplicate tensor name '" + name + "'");
        return type.bytesFor(elements);
    }

    private static Object normalize(String key, GgufValueType type, Object v) {
        return switch (type) {
            case UINT8 -> (short) integer(key, type, v, 0, 0xFF);
            case INT8 -> (byte) integer(key, type, v, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case UINT16 -> (int) integer(key, type, v, 0, 0xFFFF);
            case INT16 -> (short) integer(key, type, v, Short.MIN_VALUE, Short.MAX_VALUE);
            case UINT32 -> integer(key, type, v, 0, 0xFFFF_FFFFL);
            case INT32 -> (int) integer(key, type, v, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case UINT64, INT64 -> integer(key, type, v, Long.MIN_VALUE, Long.MAX_VALUE);
            case FLOAT32 -> number(key, type, v).floatValue();
            case FLOAT64 -> number(key, type, v).doubleValue();
            case BOOL -> cast(key, type, v, Boolean.class);
            case STRING -> cast(key, type, v, String.class);
            case ARRAY -> cast(key, type, v, GgufArray.class);
        };
    }

    private static long integer(String key, GgufValueType type, Object v, long min, long max) {
        if (!(v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long)) {
            throw new IllegalArgumentException("metadata '%s': a %s needs an integer, not %s".formatted(key, type, v.getClass().getSimpleName()));
        }
        long l = ((Number) v).longValue();
        if (l < min || l > max) {
            throw new IllegalArgumentException("metadata '%s': %d does not fit in %s [%d, %d]".formatted(key, l, type, min, max));
        }
        return l;
    }

    private static Number number(String key, GgufValueType type, Object v) {
        if (v instanceof Number n) return n;
        throw new IllegalArgumentException("metadata '%s': a %s needs a number, not %s".formatted(key, type, v.getClass().getSimpleName()));
    }

    private static <T> T cast(String key, GgufValueType type, Object v, Class<T> cls) {
        if (cls.isInstance(v)) return cls.cast(v);
        throw new IllegalArgumentException("metadata '%s': a %s needs a %s, not %s"
                .formatted(key, type, cls.getSimpleName(), v.getClass().getSimpleName()));
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long at = position;
        while (buf.hasRemaining()) at += ch.write(buf, at);
    }

    /** A growable little-endian byte buffer for the header. */
    private static final class LeBytes {
        private byte[] bytes = new byte[4096];
        private int size;

        void u8(byte v) {
            ensure(1);
            bytes[size++] = v;
        }

        void u16(short v) {
            ensure(2);
            bytes[size++] = (byte) v;
            bytes[size++] = (byte) (v >>> 8);
        }

        void u32(int v) {
            ensure(4);
            for (int i = 0; i < 4; i++) bytes[size++] = (byte) (v >>> (8 * i));
        }

        void u64(long v) {
            ensure(8);
            for (int i = 0; i < 8; i++) bytes[size++] = (byte) (v >>> (8 * i));
        }

        void string(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            u64(utf8.length);
            ensure(utf8.length);
            System.arraycopy(utf8, 0, bytes, size, utf8.length);
            size += utf8.length;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }

        private void ensure(int n) {
            if (size + n > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(size + n, bytes.length * 2));
        }
    }
}
