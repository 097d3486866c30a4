package r1j.model;

import java.util.Arrays;

/**
 * Keys and values of a dense (multi-head or grouped-query) attention model, F32, for a fixed number of slots.
 *
 * <p>Layout: one array per (slot, layer) for K and one for V, each {@code [contextLength][kvDim]}, so the attention
 * of one slot and layer walks one contiguous array. Memory is {@code 2 * slots * layers * contextLength * kvDim * 4}
 * bytes, sized by the context the caller asks for, not the model's trained maximum.
 *
 * <p>{@link #length(int)} advances only when a forward pass completes ({@link #commit}); rows must continue their
 * slot ({@link #checkRows}), which the forward pass verifies before it writes anything.
 */
public final class DenseKvCache implements KvCache {

    private final int slots;
    private final int layers;
    private final int kvDim;
    private final int contextLength;
    private final float[][] keys;    // [slot * layers + layer][contextLength * kvDim]
    private final float[][] values;  // [slot * layers + layer][contextLength * kvDim]
    private final int[] lengths;     // [slot]
    private final int[] next;        // [slot] scratch of checkRows, kept so that checking allocates nothing

    /**
     * @throws IllegalArgumentException if a size is not positive, one slot-layer would not fit in a Java array, or
     *                                  the cache does not fit in the heap (the message says what to change)
     */
    public DenseKvCache(int slots, int layers, int kvDim, int contextLength) {
        if (slots <= 0 || layers <= 0 || kvDim <= 0 || contextLength <= 0) {
            throw new IllegalArgumentException("KV cache sizes must be positive: slots %d, layers %d, kvDim %d, context %d"
                    .formatted(slots, layers, kvDim, contextLength));
        }
        long perLayer = (long) contextLength * kvDim;
        if (perLayer > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("context %d x kv width %d is too large for one cache array; use a context ≤ %d"
                    .formatted(contextLength, kvDim, (Integer.MAX_VALUE - 8) / kvDim));
        }
        this.slots = slots;
        this.layers = layers;
        this.kvDim = kvDim;
        this.contextLength = contextLength;
        long heap = Runtime.getRuntime().maxMemory();
        if (bytes() > heap) throw tooLarge(heap);
        try {
            this.keys = new float[slots * layers][(int) perLayer];
            this.values = new float[slots * layers][(int) perLayer];
        } catch (OutOfMemoryError e) {
            throw tooLarge(heap);
        }
        this.lengths = new int[slots];
        this.next = new int[slots];
    }

    @Override public int slots() { return slots; }

    @Override public int contextLength() { return contextLength; }

    /** Layers this cache was built for. */
    public int layers() { return layers; }

    /** Width of one token's keys (and values) in one layer: kvHeads * headSize. */
    public int kvDim() { return kvDim; }

    @Override
    public int length(int slot) {
        checkSlot(slot);
        return lengths[slot];
    }

    /** Keys of {@code slot} in {@code layer}: {@code [contextLength][kvDim]}, position {@code p} at {@code p * kvDim}. */
    public float[] keys(int slot, int layer) { return keys[slot * layers + layer]; }

    /** Values of {@code slot} in {@code layer}, laid out like {@link #keys}. */
    public float[] values(int slot, int layer) { return values[slot * layers + layer]; }

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
            int n = length * kvDim;
            for (int l = 0; l < layers; l++) {
                System.arraycopy(keys(from, l), 0, keys(to, l), 0, n);
                System.arraycopy(values(from, l), 0, values(to, l), 0, n);
            }
        }
        lengths[to] = length;
    }

    @Override
    public long bytes() {
        return 2L * slots * layers * contextLength * kvDim * Float.BYTES;
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

    /** Forgets every slot's contents. */
    public void clear() {
        Arrays.fill(lengths, 0);
    }

    private IllegalArgumentException tooLarge(long heap) {
        return new IllegalArgumentException(("a KV cache for %d slot(s) x %d tokens needs %.1f GiB, more than the Java heap can give"
                + " (max %.1f GiB); use a smaller context or fewer slots, or raise -Xmx (R1J_JAVA_OPTS for ./r1j)")
                .formatted(slots, contextLength, bytes() / 1073741824.0, heap / 1073741824.0));
    }

    private void checkSlot(int slot) {
        if (slot < 0 || slot >= slots) {
            throw new IllegalArgumentException("slot %d is outside the cache's %d slots".formatted(slot, slots));
        }
    }
}
