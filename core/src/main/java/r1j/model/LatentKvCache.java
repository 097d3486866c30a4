package r1j.model;

/**
 * The KV cache of Multi-head Latent Attention (DeepSeek-V2, arXiv:2405.04434 section 2.1.2): per token and layer it
 * keeps only the normalised compressed latent {@code c_KV} ({@code kvLoraRank} floats) and the rotated RoPE key
 * {@code k_R} shared by all heads ({@code ropeDim} floats) — not each head's decompressed key and value. Attention
 * folds the key up-projection into the query and the value up-projection into the output
 * ({@link LatentAttention}), so the decompressed K and V never exist.
 *
 * <p>For DeepSeek-V3 (61 layers, 128 heads, kv_lora_rank 512, rope 64, key 192, value 128) that is
 * {@code 61 * 576 * 4} = 140,544 bytes per token at F32, against {@code 61 * 128 * (192 + 128) * 4} = 9,994,240 bytes
 * for decompressed K and V (llama.cpp's layout at the goldens' commit): 71 times less.
 *
 * <p>Layout: per (slot, layer) a list of chunks of {@link #chunkPositions()} positions, {@code [chunkPositions][latentDim]}
 * floats each, allocated when first written, so a long context costs only what the sequences hold.
 */
public final class LatentKvCache implements KvCache {

    /** Positions per chunk (fewer when the whole context is shorter). */
    static final int CHUNK_POSITIONS = 256;

    private final KvSlots slots;
    private final int layers;
    private final int latentDim;
    private final int chunkPositions;
    private final float[][][] latents; // [slot * layers + layer][chunk] -> [chunkPositions * latentDim], null until written
    private long allocatedBytes;

    /** @throws IllegalArgumentException if a size is not positive */
    public LatentKvCache(int slots, int layers, int latentDim, int contextLength) {
        this(slots, layers, latentDim, contextLength, CHUNK_POSITIONS);
    }

    /** A cache with chunks of {@code chunkPositions} positions (tests use small ones to cross chunk borders). */
    LatentKvCache(int slots, int layers, int latentDim, int contextLength, int chunkPositions) {
        if (layers <= 0 || latentDim <= 0 || chunkPositions <= 0) {
            throw new IllegalArgumentException("latent cache sizes must be positive: layers %d, latentDim %d".formatted(layers, latentDim));
        }
        this.slots = new KvSlots(slots, contextLength);
        this.layers = layers;
        this.latentDim = latentDim;
        this.chunkPositions = Math.min(chunkPositions, contextLength);
        int chunks = (contextLength + this.chunkPositions - 1) / this.chunkPositions;
        this.latents = new float[Math.multiplyExact(slots, layers)][chunks][];
    }

    @Override public int slots() { return slots.slots(); }

    @Override public int contextLength() { return slots.contextLength(); }

    @Override public int length(int slot) { return slots.length(slot); }

    public int layers() { return layers; }

    /** Floats per token and layer: {@code kvLoraRank + ropeDim}. */
    public int latentDim() { return latentDim; }

    public int chunkPositions() { return chunkPositions; }

    /** Latents of positions {@code [c * chunkPositions, (c+1) * chunkPositions)}, {@code [chunkPositions][latentDim]}. */
    float[] chunk(int slot, int layer, int c) { return latents[slot * layers + layer][c]; }

    /** Writes one token's latent {@code src[off .. off + latentDim)} at {@code pos}, allocating its chunk on first use. */
    void store(int slot, int layer, int pos, float[] src, int off) {
        int c = pos / chunkPositions;
        float[][] chunks = latents[slot * layers + layer];
        if (chunks[c] == null) allocate(chunks, c);
        System.arraycopy(src, off, chunks[c], (pos - c * chunkPositions) * latentDim, latentDim);
    }

    private void allocate(float[][] chunks, int c) {
        try {
            chunks[c] = new float[chunkPositions * latentDim];
        } catch (OutOfMemoryError e) {
            throw new IllegalStateException(("the KV cache holds %.2f GiB and the Java heap (max %.1f GiB) has no room for more;"
                    + " use a smaller context or fewer parallel sequences, or raise -Xmx (R1J_JAVA_OPTS for ./r1j)")
                    .formatted(allocatedBytes / 1073741824.0, Runtime.getRuntime().maxMemory() / 1073741824.0));
        }
        allocatedBytes += (long) chunkPositions * latentDim * Float.BYTES;
    }

    @Override
    public void truncate(int slot, int from) { slots.truncate(slot, from); }

    @Override
    public void copyPrefix(int from, int to, int length) {
        slots.checkCopy(from, to, length);
        if (from != to) {
            for (int l = 0; l < layers; l++) {
                float[][] src = latents[from * layers + l], dst = latents[to * layers + l];
                for (int c = 0, start = 0; start < length; c++, start += chunkPositions) {
                    if (dst[c] == null) allocate(dst, c);
                    System.arraycopy(src[c], 0, dst[c], 0, Math.min(chunkPositions, length - start) * latentDim);
                }
            }
        }
        slots.setLength(to, length);
    }

    @Override
    public long bytes() { return allocatedBytes; }

    /** @see KvSlots#checkRows */
    public void checkRows(Batch batch) { slots.checkRows(batch); }

    void commit(Batch batch) { slots.commit(batch); }

    /** Forgets every slot's contents (the memory stays allocated for reuse). */
    public void clear() { slots.clear(); }
}
