package r1j.model;

import java.util.Arrays;

/**
 * Keys and values of a dense (multi-head or grouped-query) attention model, F32, for a fixed number of slots.
 *
 * <p>Layout: per (slot, layer), K and V are each a list of chunks of {@link #chunkPositions()} positions,
 * {@code [chunkPositions][kvDim]} floats per chunk, so attention walks contiguous arrays. A chunk is allocated when
 * its first position is written: a cache for the model's full context (e.g. 131072 tokens) in several slots costs
 * only what the sequences actually hold, up to {@link #capacityBytes()}. Chunks stay allocated when a slot is
 * truncated, so a reused slot does not allocate again.
 *
 * <p>{@link #length(int)} advances only when a forward pass completes ({@link #commit}); rows must continue their
 * slot ({@link #checkRows}), which the forward pass verifies before it writes anything.
 */
public final class DenseKvCache implements KvCache {

    /** Positions per chunk (fewer when the whole context is shorter). */
    static final int CHUNK_POSITIONS = 256;

    private final int slots;
    private final int layers;
    private final int kvDim;
    private final int contextLength;
    private final int chunkPositions;
    private final float[][][] keys;    // [slot * layers + layer][chunk] -> [chunkPositions * kvDim], null until written
    private final float[][][] values;  // same layout as keys
    private final int[] lengths;       // [slot]
    private final int[] next;          // [slot] scratch of checkRows, kept so that checking allocates nothing
    private long allocatedBytes;

    /**
     * @throws IllegalArgumentException if a size is not positive
     */
    public DenseKvCache(int slots, int layers, int kvDim, int contextLength) {
        this(slots, layers, kvDim, contextLength, CHUNK_POSITIONS);
    }

    /** A cache with chunks of {@code chunkPositions} positions (tests use small ones to cross chunk borders). */
    DenseKvCache(int slots, int layers, int kvDim, int contextLength, int chunkPositions) {
        if (slots <= 0 || layers <= 0 || kvDim <= 0 || contextLength <= 0 || chunkPositions <= 0) {
            throw new IllegalArgumentException("KV cache sizes must be positive: slots %d, layers %d, kvDim %d, context %d"
                    .formatted(slots, layers, kvDim, contextLength));
        }
        if ((long) chunkPositions * kvDim > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("kv width %d is too large for one cache chunk".formatted(kvDim));
        }
        this.slots = slots;
        this.layers = layers;
        this.kvDim = kvDim;
        this.contextLength = contextLength;
        this.chunkPositions = Math.min(chunkPositions, contextLength);
        int chunks = (contextLength + chunkPositions - 1) / chunkPositions;
        this.keys = new float[Math.multiplyExact(slots, layers)][chunks][];
        this.values = new float[slots * layers][chunks][];
        this.lengths = new int[slots];
        this.next = new int[slots];
    }

    @Override public int slots() { return slots; }

    @Override public int contextLength() { return contextLength; }

    /** Layers this cache was built for. */
    public int layers() { return layers; }

    /** Width of one token's keys (and values) in one layer: kvHeads * headSize. */
    public int kvDim() { return kvDim; }

    /** Positions per storage chunk: position {@code p} is row {@code p % chunkPositions} of chunk {@code p / chunkPositions}. */
    public int chunkPositions() { return chunkPositions; }

    @Override
    public int length(int slot) {
        checkSlot(slot);
        return lengths[slot];
    }

    /**
     * Keys of positions {@code [c * chunkPositions, (c + 1) * chunkPositions)} of {@code slot} in {@code layer},
     * {@code [chunkPositions][kvDim]}; {@code null} if nothing was ever written there.
     */
    public float[] keyChunk(int slot, int layer, int c) { return keys[slot * layers + layer][c]; }

    /** Values laid out like {@link #keyChunk}. */
    public float[] valueChunk(int slot, int layer, int c) { return values[slot * layers + layer][c]; }

    /**
     * Writes one token's keys {@code k[kOff .. kOff + kvDim)} and values {@code v[vOff ..]} at {@code pos}, allocating
     * the chunk on first use.
     *
     * @throws IllegalStateException if the heap cannot hold another chunk (the message says what to change)
     */
    void store(int slot, int layer, int pos, float[] k, int kOff, float[] v, int vOff) {
        int c = pos / chunkPositions, off = (pos - c * chunkPositions) * kvDim;
        float[][] kc = keys[slot * layers + layer], vc = values[slot * layers + layer];
        if (kc[c] == null) allocate(kc, vc, c);
        System.arraycopy(k, kOff, kc[c], off, kvDim);
        System.arraycopy(v, vOff, vc[c], off, kvDim);
    }

    private void allocate(float[][] kc, float[][] vc, int c) {
        try {
            kc[c] = new float[chunkPositions * kvDim];
            vc[c] = new float[chunkPositions * kvDim];
        } catch (OutOfMemoryError e) {
            kc[c] = null;
            throw new IllegalStateException(("the KV cache holds %.2f GiB and the Java heap (max %.1f GiB) has no room for more;"
                    + " use a smaller context or fewer parallel sequences, or raise -Xmx (R1J_JAVA_OPTS for ./r1j)")
                    .formatted(allocatedBytes / 1073741824.0, Runtime.getRuntime().maxMemory() / 1073741824.0));
        }
        allocatedBytes += 2L * chunkPositions * kvDim * Float.BYTES;
    }

    @Override
    public void truncate(int slot, int from) {
        checkSlot(slot);
        if (from < 0) throw new IllegalArgumentException("truncate position must be ≥ 0, got " + from);
        lengths[slot] = Math.min(lengths[slot], from);
    }

    @Override
    public void copyPrefix(int from, int to, int length) {
        checkSlot(from);
        checkSlot(to);
        if (length < 0 || length > lengths[from]) {
            throw new IllegalArgumentException("cannot copy %d positions from slot %d which holds %d"
                    .formatted(length, from, lengths[from]));
        }
        if (from != to) {
            for (int l = 0; l < layers; l++) {
                float[][] srcK = keys[from * layers + l], srcV = values[from * layers + l];
                float[][] dstK = keys[to * layers + l], dstV = values[to * layers + l];
                for (int c = 0, start = 0; start < length; c++, start += chunkPositions) {
                    if (dstK[c] == null) allocate(dstK, dstV, c);
                    int n = Math.min(chunkPositions, length - start) * kvDim;
                    System.arraycopy(srcK[c], 0, dstK[c], 0, n);
                    System.arraycopy(srcV[c], 0, dstV[c], 0, n);
                }
            }
        }
        lengths[to] = length;
    }

    /** Bytes allocated so far (chunks are allocated as positions are first written). */
    @Override
    public long bytes() {
        return allocatedBytes;
    }

    /** Bytes when every slot holds its full context: {@code 2 * slots * layers * contextLength * kvDim * 4}, rounded to chunks. */
    public long capacityBytes() {
        return 2L * slots * layers * keys[0].length * chunkPositions * kvDim * Float.BYTES;
    }

    /**
     * Checks that every row of {@code batch} names a slot of this cache and continues it: the first row of a slot is
     * at the slot's length, each further row of that slot one position later, all below the context length.
     *
     * @throws IllegalArgumentException naming the row, slot, position and length when one does not
     */
    public void checkRows(Batch batch) {
        System.arraycopy(lengths, 0, next, 0, slots);
        for (int i = 0; i < batch.size(); i++) {
            int slot = batch.slots()[i];
            int pos = batch.positions()[i];
            if (slot < 0 || slot >= slots) {
                throw new IllegalArgumentException("batch row %d: slot %d is outside the cache's %d slots".formatted(i, slot, slots));
            }
            if (pos != next[slot]) {
                throw new IllegalArgumentException("batch row %d: position %d does not continue slot %d, which holds %d tokens (next position %d)"
                        .formatted(i, pos, slot, lengths[slot], next[slot]));
            }
            if (pos >= contextLength) {
                throw new IllegalArgumentException("batch row %d: position %d of slot %d is past the KV cache context of %d tokens; use a larger context"
                        .formatted(i, pos, slot, contextLength));
            }
            next[slot]++;
        }
    }

    /** Records that the rows of {@code batch} are now cached (after a successful forward pass). */
    void commit(Batch batch) {
        for (int i = 0; i < batch.size(); i++) {
            lengths[batch.slots()[i]] = Math.max(lengths[batch.slots()[i]], batch.positions()[i] + 1);
        }
    }

    /** Forgets every slot's contents (the memory stays allocated for reuse). */
    public void clear() {
        Arrays.fill(lengths, 0);
    }

    private void checkSlot(int slot) {
        if (slot < 0 || slot >= slots) {
            throw new IllegalArgumentException("slot %d is outside the cache's %d slots".formatted(slot, slots));
        }
    }
}
