package r1j.model;

/**
 * Per-architecture attention memory for a fixed number of sequence slots. Dense models keep K and V per layer and
 * KV head; {@code deepseek2} will keep MLA's compressed latent instead, so the cache is an interface and each
 * architecture brings its own.
 */
public interface KvCache {

    /** Number of sequence slots. */
    int slots();

    /** Maximum tokens one slot holds. */
    int contextLength();

    /** Tokens currently cached in {@code slot} (the next position to write). */
    int length(int slot);

    /** Forgets everything from position {@code from} on in {@code slot} (0 frees the slot). */
    void truncate(int slot, int from);

    /** Copies the first {@code length} positions of {@code from} into {@code to}, replacing what {@code to} held (prefix reuse). */
    void copyPrefix(int from, int to, int length);

    /** Bytes this cache occupies. */
    long bytes();
}
