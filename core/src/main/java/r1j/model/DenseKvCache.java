package r1j.model;


/**
 * Keys and values of a dense (multi-head or grouped-query) attention model for a fixed number of slots, stored as
 * F32 or F16 ({@link KvCacheType}).
 *
 * <p>Layout: per (slot, layer), K and V are each a list of chunks of {@link #chunkPositions()} positions; a chunk is
 * {@code [kvHeads][chunkPositions][headSize]} values, so one KV head's keys for a run of positions are contiguous and
 * attention streams them once for every query head of the head's group. F16 keys are stored transposed,
 * {@code [kvHeads][headSize][chunkPositions]} ({@link #keyOffsetF16}): one dimension of a run of positions is
 * contiguous, so attention scores a whole vector of positions per multiply-add and never sums across lanes. A chunk
 * is allocated when its first position
 * is written: a cache for the model's full context (e.g. 131072 tokens) in several slots costs only what the
 * sequences actually hold, up to {@link #capacityBytes()}. Chunks stay allocated when a slot is truncated, so a
 * reused slot does not allocate again.
 *
 * <p>F16 values are rounded to nearest even ({@link Float#floatToFloat16}) as they are stored, as llama.cpp's F16
 * cache does.
 *
 * <p>{@link #length(int)} advances only when a forward pass completes ({@link #commit}); rows must continue their
 * slot ({@link #checkRows}), which the forward pass verifies before it writes anything.
 */
public final class DenseKvCache implements KvCache {

    /** Positions per chunk (fewer when the whole context is shorter). */
    static final int CHUNK_POSITIONS = 256;

    private final KvCacheType type;
    private final int slots;
    private final int layers;
    private final int kvHeads;
    private final int headSize;
    private final int contextLength;
    private final int chunkPositions;
    private final int chunkValues;       // kvHeads * chunkPositions * headSize
    // [slot * layers + layer][chunk] -> [kvHeads][chunkPositions][headSize], null until written; one pair per type
    private final float[][][] keys32, values32;
    private final short[][][] keys16, values16;
    private final KvSlots positions;     // per slot: how many tokens are cached (shared with the latent cache)
    private long allocatedBytes;

    /**
     * @param type F32 or F16 (resolve AUTO first)
     * @throws IllegalArgumentException if a size is not positive or the type is AUTO
     */
    public DenseKvCache(KvCacheType type, int slots, int layers, int kvHeads, int headSize, int contextLength) {
        this(type, slots, layers, kvHeads, headSize, contextLength, CHUNK_POSITIONS);
    }

    /** A cache with chunks of {@code chunkPositions} positions (tests use small ones to cross chunk borders). */
    DenseKvCache(KvCacheType type, int slots, int layers, int kvHeads, int headSize, int contextLength, int chunkPositions) {
        if (type == null || type == KvCacheType.AUTO) {
            throw new IllegalArgumentException("KV cache type must be F32 or F16, got " + type + "; resolve AUTO for the model first");
        }
        if (slots <= 0 || layers <= 0 || kvHeads <= 0 || headSize <= 0 || contextLength <= 0 || chunkPositions <= 0) {
            throw new IllegalArgumentException("KV cache sizes must be positive: slots %d, layers %d, kvHeads %d, headSize %d, context %d"
                    .formatted(slots, layers, kvHeads, headSize, contextLength));
        }
        this.chunkPositions = Math.min(chunkPositions, contextLength);
        if ((long) this.chunkPositions * kvHeads * headSize > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("kv width %d is too large for one cache chunk".formatted(kvHeads * headSize));
        }
        this.type = type;
        this.slots = slots;
        this.layers = layers;
        this.kvHeads = kvHeads;
        this.headSize = headSize;
        this.contextLength = contextLength;
        this.chunkValues = this.chunkPositions * kvHeads * headSize;
        int chunks = (contextLength + this.chunkPositions - 1) / this.chunkPositions;
        int lists = Math.multiplyExact(slots, layers);
        boolean f32 = type == KvCacheType.F32;
        this.keys32 = f32 ? new float[lists][chunks][] : null;
        this.values32 = f32 ? new float[lists][chunks][] : null;
        this.keys16 = f32 ? null : new short[lists][chunks][];
        this.values16 = f32 ? null : new short[lists][chunks][];
        this.positions = new KvSlots(slots, contextLength);
    }

    /** How values are stored. */
    public KvCacheType type() { return type; }

    @Override public int slots() { return slots; }

    @Override public int contextLength() { return contextLength; }

    /** Layers this cache was built for. */
    public int layers() { return layers; }

    /** KV heads per layer. */
    public int kvHeads() { return kvHeads; }

    /** Width of one head's key (and value). */
    public int headSize() { return headSize; }

    /** Width of one token's keys (and values) in one layer: kvHeads * headSize. */
    public int kvDim() { return kvHeads * headSize; }

    /**
     * Positions per storage chunk: position {@code p} is row {@code p % chunkPositions} of chunk
     * {@code p / chunkPositions}.
     */
    public int chunkPositions() { return chunkPositions; }

    /** Offset in a chunk of KV head {@code head}'s row {@code row}: {@code (head * chunkPositions + row) * headSize}. */
    public int offset(int head, int row) { return (head * chunkPositions + row) * headSize; }

    /**
     * Offset in an F16 key chunk of KV head {@code head}'s dimension {@code dim} at row {@code row}:
     * {@code (head * headSize + dim) * chunkPositions + row}.
     */
    public int keyOffsetF16(int head, int dim, int row) { return (head * headSize + dim) * chunkPositions + row; }

    @Override
    public int length(int slot) {
        return positions.length(slot);
    }

    /** F32 keys of chunk {@code c} of {@code slot} in {@code layer} ({@link #offset} addresses it); null if never written. */
    public float[] keyChunk(int slot, int layer, int c) { return keys32[slot * layers + layer][c]; }

    /** F32 values laid out like {@link #keyChunk}. */
    public float[] valueChunk(int slot, int layer, int c) { return values32[slot * layers + layer][c]; }

    /** F16 keys (IEEE half bits), transposed: {@link #keyOffsetF16} addresses them; only for an F16 cache. */
    public short[] keyChunkF16(int slot, int layer, int c) { return keys16[slot * layers + layer][c]; }

    /** F16 values laid out like {@link #keyChunk}; only for an F16 cache. */
    public short[] valueChunkF16(int slot, int layer, int c) { return values16[slot * layers + layer][c]; }

    /**
     * Writes one token's keys {@code k[kOff .. kOff + kvDim)} and values {@code v[vOff ..]} (heads back to back) at
     * {@code pos}, allocating the chunk on first use.
     *
     * @throws IllegalStateException if the heap cannot hold another chunk (the message says what to change)
     */
    void store(int slot, int layer, int pos, float[] k, int kOff, float[] v, int vOff) {
        int c = pos / chunkPositions, row = pos - c * chunkPositions, list = slot * layers + layer;
        ensureChunk(list, c);
        if (type == KvCacheType.F32) {
            float[] kc = keys32[list][c], vc = values32[list][c];
            for (int h = 0; h < kvHeads; h++) {
                System.arraycopy(k, kOff + h * headSize, kc, offset(h, row), headSize);
                System.arraycopy(v, vOff + h * headSize, vc, offset(h, row), headSize);
            }
        } else {
            short[] kc = keys16[list][c], vc = values16[list][c];
            for (int h = 0; h < kvHeads; h++) {
                int dst = offset(h, row), src = h * headSize;
                for (int i = 0; i < headSize; i++) {
                    kc[keyOffsetF16(h, i, row)] = Float.floatToFloat16(k[kOff + src + i]);
                    vc[dst + i] = Float.floatToFloat16(v[vOff + src + i]);
                }
            }
        }
    }

    private void ensureChunk(int list, int c) {
        boolean missing = type == KvCacheType.F32 ? keys32[list][c] == null : keys16[list][c] == null;
        if (!missing) return;
        try {
            if (type == KvCacheType.F32) {
                keys32[list][c] = new float[chunkValues];
                values32[list][c] = new float[chunkValues];
            } else {
                keys16[list][c] = new short[chunkValues];
                values16[list][c] = new short[chunkValues];
            }
        } catch (OutOfMemoryError e) {
            if (type == KvCacheType.F32) keys32[list][c] = null; else keys16[list][c] = null;
            throw new IllegalStateException(("the KV cache holds %.2f GiB and the Java heap (max %.1f GiB) has no room for more;"
                    + " use a smaller context, fewer parallel sequences or --kv-type f16, or raise -Xmx (R1J_JAVA_OPTS for ./r1j)")
                    .formatted(allocatedBytes / 1073741824.0, Runtime.getRuntime().maxMemory() / 1073741824.0));
        }
        allocatedBytes += 2L * chunkValues * type.bytesPerValue();
    }

    @Override
    public void truncate(int slot, int from) {
        positions.truncate(slot, from);
    }

    @Override
    public void copyPrefix(int from, int to, int length) {
        positions.checkCopy(from, to, length);
        if (from != to) {
            for (int l = 0; l < layers; l++) {
                int src = from * layers + l, dst = to * layers + l;
                for (int c = 0, start = 0; start < length; c++, start += chunkPositions) {
                    ensureChunk(dst, c);
                    int rows = Math.min(chunkPositions, length - start), n = rows * headSize;
                    for (int h = 0; h < kvHeads; h++) {
                        int off = offset(h, 0);
                        if (type == KvCacheType.F32) {
                            System.arraycopy(keys32[src][c], off, keys32[dst][c], off, n);
                            System.arraycopy(values32[src][c], off, values32[dst][c], off, n);
                        } else {
                            for (int i = 0; i < headSize; i++) {
                                int k = keyOffsetF16(h, i, 0);
                                System.arraycopy(keys16[src][c], k, keys16[dst][c], k, rows);
                            }
                            System.arraycopy(values16[src][c], off, values16[dst][c], off, n);
                        }
                    }
                }
            }
        }
        positions.setLength(to, length);
    }

    /** Bytes allocated so far (chunks are allocated as positions are first written). */
    @Override
    public long bytes() {
        return allocatedBytes;
    }

    /** Bytes when every slot holds its full context: {@code 2 * slots * layers * contextLength * kvDim * bytes}, rounded to chunks. */
    public long capacityBytes() {
        int chunks = (contextLength + chunkPositions - 1) / chunkPositions;
        return 2L * slots * layers * chunks * chunkValues * type.bytesPerValue();
    }

    /**
     * Checks that every row of {@code batch} names a slot of this cache and continues it: the first row of a slot is
     * at the slot's length, each further row of that slot one position later, all below the context length.
     *
     * @throws IllegalArgumentException naming the row, slot, position and length when one does not
     */
    public void checkRows(Batch batch) {
        positions.checkRows(batch);
    }

    /** Records that the rows of {@code batch} are now cached (after a successful forward pass). */
    void commit(Batch batch) {
        positions.commit(batch);
    }

    /** Forgets every slot's contents (the memory stays allocated for reuse). */
    public void clear() {
        positions.clear();
    }
}
