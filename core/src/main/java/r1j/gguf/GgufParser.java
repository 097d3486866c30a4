package r1j.gguf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import r1j.tensor.GgmlType;

/**
 * Reads and validates the header of a mapped GGUF file: magic, version, metadata, tensor table, data offset.
 *
 * <p>Layout (all little-endian): {@code "GGUF"}, {@code uint32 version}, {@code uint64 tensor_count},
 * {@code uint64 kv_count}, then kv_count entries {@code (string key, uint32 type, value)}, then tensor_count entries
 * {@code (string name, uint32 n_dims, uint64 ne[n_dims], uint32 ggml_type, uint64 offset)}, padding to
 * {@code general.alignment}, and the data section. A string is {@code uint64 length} plus UTF-8 bytes without a
 * terminator; an array is {@code uint32 element_type, uint64 count} plus the elements.
 *
 * <p>Every read is bounds-checked against the file size so that a truncated or hostile file yields a
 * {@link GgufFormatException} saying what was being read and where, never an {@code IndexOutOfBoundsException};
 * counts are checked against what the remaining bytes could hold before anything is allocated.
 */
final class GgufParser {
    /** "GGUF" read as a little-endian uint32. */
    static final int MAGIC = 0x46554747;
    static final int DEFAULT_ALIGNMENT = 32;
    static final String ALIGNMENT_KEY = "general.alignment";
    /** Deeper nesting than this is surely a corrupt file; it would otherwise risk a stack overflow. */
    private static final int MAX_ARRAY_DEPTH = 32;
    /**
     * Most elements one metadata array may have. The largest real arrays are vocabularies (about 260k tokens and
     * merges); a corrupt count inside a multi-gigabyte file could otherwise pass the "fits in the file" check and
     * exhaust the heap before the parser finds the damage.
     */
    static final int MAX_ARRAY_ELEMENTS = 1 << 26;
    /** Longest metadata string (chat templates, the longest real ones, are tens of kilobytes). */
    static final int MAX_STRING_BYTES = 1 << 26;
    /** Same reasoning for the number of metadata entries and of tensors (real files: hundreds, tens of thousands). */
    static final int MAX_ENTRIES = 1 << 24;
    /** Smallest tensor info: name length, n_dims, one dimension, type, offset. */
    private static final int MIN_TENSOR_INFO_BYTES = 8 + 4 + 8 + 4 + 8;
    /** Smallest metadata entry: key length, value type, a one-byte value. */
    private static final int MIN_KV_BYTES = 8 + 4 + 1;

    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** What a parsed header holds; offsets are absolute file offsets except each tensor's, which is data-relative. */
    record Header(int version, GgufMetadata metadata, List<GgufTensorInfo> tensors, int alignment, long dataOffset) {}

    private final MemorySegment seg;
    private final long size;
    private final String file;
    private long pos;
    /** What is being read, for error messages ("metadata key 'general.name'"). */
    private String context = "the header";
    /**
     * A heap copy of the file's first {@code headLen} bytes, grown as parsing proceeds. Scalars and strings are read
     * from it rather than from the mapping: plain array reads stay cheap before the JIT has compiled the parser,
     * which keeps the first open of a 150k-token vocabulary fast.
     */
    private byte[] head = new byte[0];
    private int headLen;

    private GgufParser(MemorySegment seg, String file) {
        this.seg = seg;
        this.size = seg.byteSize();
        this.file = file;
    }

    /**
     * Parses and validates the header of {@code seg}, a whole GGUF file.
     *
     * @param file the file's name for messages
     */
    static Header parse(MemorySegment seg, String file) throws GgufFormatException {
        return new GgufParser(seg, file).header();
    }

    private Header header() throws GgufFormatException {
        int version = magicAndVersion();
        context = "the tensor count";
        long tensorCount = u64();
        context = "the metadata count";
        long kvCount = u64();
        if (kvCount < 0 || kvCount > (size - pos) / MIN_KV_BYTES) {
            throw error("kv_count %s is more than the %d bytes after the header could hold (a metadata entry takes at least %d bytes); the file is truncated or corrupt"
                    .formatted(Long.toUnsignedString(kvCount), size - pos, MIN_KV_BYTES));
        }
        checkEntries("kv_count", kvCount);
        GgufMetadata metadata = metadata((int) kvCount);
        int alignment = alignment(metadata);
        if (tensorCount < 0 || tensorCount > (size - pos) / MIN_TENSOR_INFO_BYTES) {
            throw error("tensor_count %s is more than the %d bytes after the metadata could hold (a tensor info takes at least %d bytes); the file is truncated or corrupt"
                    .formatted(Long.toUnsignedString(tensorCount), size - pos, MIN_TENSOR_INFO_BYTES));
        }
        checkEntries("tensor_count", tensorCount);
        List<GgufTensorInfo> tensors = tensorInfos((int) tensorCount, alignment);
        long dataOffset = alignUp(pos, alignment);
        checkData(tensors, dataOffset);
        return new Header(version, metadata, List.copyOf(tensors), alignment, dataOffset);
    }

    private void checkEntries(String field, long count) throws GgufFormatException {
        if (count > MAX_ENTRIES) {
            throw error("%s %d is implausibly large; r1j reads files of up to %d entries".formatted(field, count, MAX_ENTRIES));
        }
    }

    private int magicAndVersion() throws GgufFormatException {
        if (size < 4) {
            throw new GgufFormatException("'%s' is not a GGUF file: it has only %d bytes".formatted(file, size));
        }
        context = "the magic";
        int magic = u32();
        if (magic != MAGIC) {
            throw new GgufFormatException("'%s' is not a GGUF file: it starts with bytes %s, expected \"GGUF\" (47 47 55 46)"
                    .formatted(file, hex(0, 4)));
        }
        context = "the version";
        int version = u32();
        if (version == 2 || version == 3) return version;
        if (version == 1) {
            throw new GgufFormatException("'%s': unsupported GGUF version 1; r1j reads versions 2 and 3".formatted(file));
        }
        int swapped = Integer.reverseBytes(version);
        if (swapped >= 1 && swapped <= 3) {
            throw new GgufFormatException("'%s' is a big-endian GGUF file (version %d stored byte-swapped); r1j reads little-endian files only"
                    .formatted(file, swapped));
        }
        throw new GgufFormatException("'%s': unsupported GGUF version %s; r1j reads versions 2 and 3"
                .formatted(file, Integer.toUnsignedString(version)));
    }

    private GgufMetadata metadata(int kvCount) throws GgufFormatException {
        LinkedHashMap<String, Object> values = new LinkedHashMap<>();
        Map<String, GgufValueType> types = new HashMap<>();
        for (int i = 0; i < kvCount; i++) {
            context = "the key of metadata entry " + i;
            String key = string();
            if (values.containsKey(key)) throw error("duplicate metadata key '%s' (entry %d)".formatted(key, i));
            context = "metadata key '" + key + "'";
            GgufValueType type = valueType();
            values.put(key, value(type, 0));
            types.put(key, type);
        }
        return new GgufMetadata(file, values, types);
    }

    private int alignment(GgufMetadata metadata) throws GgufFormatException {
        if (!metadata.has(ALIGNMENT_KEY)) return DEFAULT_ALIGNMENT;
        GgufValueType type = metadata.typeOf(ALIGNMENT_KEY);
        if (!type.integral()) throw error("%s is %s, expected UINT32".formatted(ALIGNMENT_KEY, type));
        long a = ((Number) metadata.get(ALIGNMENT_KEY)).longValue();
        if (a <= 0 || a > (1 << 30) || Long.bitCount(a) != 1) {
            throw error("%s is %s; it must be a power of two".formatted(ALIGNMENT_KEY, metadata.get(ALIGNMENT_KEY)));
        }
        return (int) a;
    }

    private List<GgufTensorInfo> tensorInfos(int count, int alignment) throws GgufFormatException {
        List<GgufTensorInfo> tensors = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < count; i++) {
            context = "the name of tensor info " + i;
            String name = string();
            Integer previous = seen.putIfAbsent(name, i);
            if (previous != null) throw error("duplicate tensor name '%s' (tensor infos %d and %d)".formatted(name, previous, i));
            context = "tensor '" + name + "'";
            tensors.add(tensorInfo(name, alignment));
        }
        return tensors;
    }

    private GgufTensorInfo tensorInfo(String name, int alignment) throws GgufFormatException {
        int nDims = u32();
        if (nDims < 1 || nDims > 4) {
            throw error("tensor '%s' has n_dims %s; GGUF allows 1 to 4".formatted(name, Integer.toUnsignedString(nDims)));
        }
        long[] dims = new long[nDims];
        for (int d = 0; d < nDims; d++) {
            dims[d] = u64();
            if (dims[d] <= 0) {
                throw error("tensor '%s' has dimension %d = %s; dimensions must be positive"
                        .formatted(name, d, Long.toUnsignedString(dims[d])));
            }
        }
        int typeId = u32();
        GgmlType type = GgmlType.byId(typeId);
        if (type == null) {
            throw error("tensor '%s' has unknown ggml type id %s".formatted(name, Integer.toUnsignedString(typeId)));
        }
        long offset = u64();
        long elements = 1;
        try {
            for (long d : dims) elements = Math.multiplyExact(elements, d);
        } catch (ArithmeticException e) {
            throw error("tensor '%s' has dims %s whose element count overflows".formatted(name, Arrays.toString(dims)));
        }
        if (dims[0] % type.blockSize() != 0) {
            throw error("tensor '%s' of type %s has dims %s: ne[0] = %d is not a multiple of the %d-element block"
                    .formatted(name, type, Arrays.toString(dims), dims[0], type.blockSize()));
        }
        long byteSize;
        try {
            byteSize = Math.multiplyExact(elements / type.blockSize(), (long) type.bytesPerBlock());
        } catch (ArithmeticException e) {
            throw error("tensor '%s' has dims %s whose byte size overflows".formatted(name, Arrays.toString(dims)));
        }
        if (offset < 0 || offset > size) {
            throw error("tensor '%s' has offset %s, beyond the end of the %d-byte file"
                    .formatted(name, Long.toUnsignedString(offset), size));
        }
        if (offset % alignment != 0) {
            throw error("tensor '%s' has offset %d, which is not a multiple of the alignment %d"
                    .formatted(name, offset, alignment));
        }
        return new GgufTensorInfo(name, dims, type, offset, byteSize);
    }

    /** No two tensors overlap and every tensor lies inside the file. */
    private void checkData(List<GgufTensorInfo> tensors, long dataOffset) throws GgufFormatException {
        List<GgufTensorInfo> byOffset = new ArrayList<>(tensors);
        byOffset.sort(Comparator.comparingLong(GgufTensorInfo::offset));
        for (int i = 1; i < byOffset.size(); i++) {
            GgufTensorInfo a = byOffset.get(i - 1);
            GgufTensorInfo b = byOffset.get(i);
            if (a.offset() + a.byteSize() > b.offset()) {
                throw error("tensor '%s' (%s %s, %d bytes at data offset %d) overlaps tensor '%s' at data offset %d"
                        .formatted(a.name(), a.type(), Arrays.toString(a.dims()), a.byteSize(), a.offset(),
                                b.name(), b.offset()));
            }
        }
        for (GgufTensorInfo t : tensors) {
            long start = dataOffset + t.offset();
            long end = start + t.byteSize();
            if (start < dataOffset || end < start || end > size) {
                throw error("tensor '%s' needs bytes [%d, %d) but the file ends at %d (truncated data?)"
                        .formatted(t.name(), start, end, size));
            }
        }
    }

    private GgufValueType valueType() throws GgufFormatException {
        long at = pos;
        int id = u32();
        GgufValueType type = GgufValueType.byId(id);
        if (type == null) {
            throw error("%s has unknown value type id %s at byte %d".formatted(context, Integer.toUnsignedString(id), at));
        }
        return type;
    }

    private Object value(GgufValueType type, int depth) throws GgufFormatException {
        return switch (type) {
            case UINT8 -> (short) Byte.toUnsignedInt(u8());
            case INT8 -> u8();
            case UINT16 -> Short.toUnsignedInt(u16());
            case INT16 -> u16();
            case UINT32 -> Integer.toUnsignedLong(u32());
            case INT32 -> u32();
            case UINT64, INT64 -> u64();
            case FLOAT32 -> Float.intBitsToFloat(u32());
            case FLOAT64 -> Double.longBitsToDouble(u64());
            case BOOL -> u8() != 0;
            case STRING -> string();
            case ARRAY -> array(depth);
        };
    }

    private GgufArray array(int depth) throws GgufFormatException {
        if (depth >= MAX_ARRAY_DEPTH) throw error("%s nests arrays deeper than %d levels".formatted(context, MAX_ARRAY_DEPTH));
        GgufValueType type = valueType();
        long at = pos;
        long count = u64();
        long left = size - pos;
        if (count > MAX_ARRAY_ELEMENTS && count <= left / type.minBytes()) {
            throw error("%s: array count %d at byte %d is implausibly large; r1j reads metadata arrays of up to %d elements"
                    .formatted(context, count, at, MAX_ARRAY_ELEMENTS));
        }
        if (count < 0 || count > left / type.minBytes()) {
            throw error("%s: array count %s (%s elements) at byte %d is more than the %d bytes left in the file could hold; the file is truncated or corrupt"
                    .formatted(context, Long.toUnsignedString(count), type, at, left));
        }
        int n = (int) count;
        Object values = switch (type) {
            case UINT8, INT8 -> bulk(ValueLayout.JAVA_BYTE, new byte[n], n);
            case UINT16, INT16 -> bulk(I16, new short[n], n);
            case UINT32, INT32 -> bulk(I32, new int[n], n);
            case UINT64, INT64 -> bulk(I64, new long[n], n);
            case FLOAT32 -> bulk(F32, new float[n], n);
            case FLOAT64 -> bulk(F64, new double[n], n);
            case BOOL -> {
                boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) a[i] = u8() != 0;
                yield a;
            }
            case STRING -> {
                String[] a = new String[n];
                for (int i = 0; i < n; i++) a[i] = string();
                yield a;
            }
            case ARRAY -> {
                GgufArray[] a = new GgufArray[n];
                for (int i = 0; i < n; i++) a[i] = array(depth + 1);
                yield a;
            }
        };
        return GgufArray.wrap(type, values);
    }

    /** Copies {@code n} elements of {@code layout} into {@code dst}, byte-swapping as the layout says. */
    private Object bulk(ValueLayout layout, Object dst, int n) throws GgufFormatException {
        long bytes = n * layout.byteSize();
        available(bytes);
        MemorySegment.copy(seg, layout, pos, dst, 0, n);
        pos += bytes;
        return dst;
    }

    private String string() throws GgufFormatException {
        long at = pos;
        long len = u64();
        if (len > MAX_STRING_BYTES && len <= size - pos) {
            throw error("%s: string length %d at byte %d is implausibly long; r1j reads strings of up to %d bytes"
                    .formatted(context, len, at, MAX_STRING_BYTES));
        }
        if (len < 0 || len > size - pos) {
            throw error("%s: string length %s at byte %d is more than the %d bytes left in the file; the file is truncated or corrupt"
                    .formatted(context, Long.toUnsignedString(len), at, size - pos));
        }
        int n = (int) len;
        int p = window(n);
        return new String(head, p, n, StandardCharsets.UTF_8);
    }

    private byte u8() throws GgufFormatException {
        return head[window(1)];
    }

    private short u16() throws GgufFormatException {
        int p = window(2);
        return (short) ((head[p] & 0xFF) | head[p + 1] << 8);
    }

    private int u32() throws GgufFormatException {
        int p = window(4);
        return (head[p] & 0xFF) | (head[p + 1] & 0xFF) << 8 | (head[p + 2] & 0xFF) << 16 | head[p + 3] << 24;
    }

    private long u64() throws GgufFormatException {
        int p = window(8);
        long v = 0;
        for (int i = 7; i >= 0; i--) v = v << 8 | (head[p + i] & 0xFF);
        return v;
    }

    /**
     * Makes {@code bytes} bytes at {@code pos} readable in {@link #head}, advances {@code pos} past them and returns
     * where they start.
     */
    private int window(long bytes) throws GgufFormatException {
        available(bytes);
        long end = pos + bytes;
        if (end > headLen) grow(end);
        int p = (int) pos;
        pos = end;
        return p;
    }

    private void grow(long end) throws GgufFormatException {
        long len = Math.min(size, Math.max(end, Math.max(1 << 16, 2L * headLen)));
        if (len > Integer.MAX_VALUE - 8) {
            throw error("the header does not end within the first 2 GiB (reading %s at byte %d)".formatted(context, pos));
        }
        byte[] grown = Arrays.copyOf(head, (int) len);
        MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, headLen, grown, headLen, (int) len - headLen);
        head = grown;
        headLen = (int) len;
    }

    /** Fails with the truncation message unless {@code bytes} bytes follow {@code pos}. */
    private void available(long bytes) throws GgufFormatException {
        if (bytes > size - pos) {
            throw new GgufFormatException("truncated GGUF '%s': reading %s needs bytes [%d, %d) but the file has %d bytes"
                    .formatted(file, context, pos, pos + bytes, size));
        }
    }

    private GgufFormatException error(String problem) {
        return new GgufFormatException("'%s': %s".formatted(file, problem));
    }

    private String hex(long from, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) sb.append(' ');
            sb.append("%02x".formatted(seg.get(ValueLayout.JAVA_BYTE, from + i)));
        }
        return sb.toString();
    }

    static long alignUp(long offset, int alignment) {
        return (offset + alignment - 1) / alignment * alignment;
    }
}
