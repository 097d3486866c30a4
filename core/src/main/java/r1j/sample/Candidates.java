package r1j.sample;

/**
 * The working set of the sampler chain: token ids with their logits, {@code size} of them live. Buffers are sized
 * once for the vocabulary and reused for every token. After {@link #load} the set is the whole vocabulary in id
 * order; steps shrink it and may sort it (most likely first, lowest id on ties), which {@link #sorted()} records.
 */
final class Candidates {

    final int[] ids;       // [capacity]
    final float[] logits;  // [capacity]
    final float[] probs;   // [capacity], valid after softmax()
    private final long[] keys; // [capacity], scratch for sorting
    int size;
    private boolean sorted;
    private boolean identity;

    Candidates(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("vocabulary size " + capacity + " must be positive");
        }
        ids = new int[capacity];
        logits = new float[capacity];
        probs = new float[capacity];
        keys = new long[capacity];
    }

    int capacity() {
        return ids.length;
    }

    /** Loads {@code vocab} logits starting at {@code offset}: every token, in id order. */
    void load(float[] source, int offset, int vocab) {
        if (vocab != ids.length) {
            throw new IllegalArgumentException("logits of " + vocab + " tokens given to a sampler built for " + ids.length);
        }
        System.arraycopy(source, offset, logits, 0, vocab);
        for (int i = 0; i < vocab; i++) {
            ids[i] = i;
        }
        size = vocab;
        sorted = false;
        identity = true;
    }

    /**
     * Constrained decoding: sets the logit of every token whose bit in {@code allowed} is clear to −∞ (bit
     * {@code id % 64} of word {@code id / 64}), so no later step can pick it. Runs right after {@link #load}, before
     * every other step; the set stays the whole vocabulary in id order.
     */
    void mask(long[] allowed) {
        assert identity : "the mask runs first, on the whole vocabulary";
        int n = size;
        for (int w = 0, base = 0; base < n; w++, base += 64) {
            long bits = allowed[w];
            if (bits == -1L) {
                continue;
            }
            int end = Math.min(64, n - base);
            for (int b = 0; b < end; b++) {
                if ((bits & (1L << b)) == 0) {
                    logits[base + b] = Float.NEGATIVE_INFINITY;
                }
            }
        }
    }

    /** Whether {@code ids[i] == i} for the whole vocabulary (nothing removed or reordered yet). */
    boolean identity() {
        return identity;
    }

    /** Whether the live set is ordered most likely first. */
    boolean sorted() {
        return sorted;
    }

    /** Sorts the live set most likely first (lowest id on ties). */
    void sort() {
        if (sorted) {
            return;
        }
        fillKeys();
        LogitOrder.sort(keys, 0, size);
        readKeys(size);
    }

    /** Keeps the {@code k} most likely tokens, sorted, without sorting the rest. */
    void keepBest(int k) {
        if (k >= size) {
            sort();
            return;
        }
        if (sorted) {
            size = k;
            return;
        }
        fillKeys();
        LogitOrder.selectSmallest(keys, size, k);
        readKeys(k);
    }

    /** Keeps the first {@code n} live entries. */
    void truncate(int n) {
        assert n >= 1 && n <= size;
        if (n < size) {
            identity = false;
        }
        size = n;
    }

    /** Keeps the first {@code n} live entries after a step rewrote them in an order of its own. */
    void shrinkUnsorted(int n) {
        assert n >= 1 && n <= size;
        size = n;
        sorted = false;
        identity = false;
    }

    /** Keeps the entries with {@code logit >= threshold}, in their order. */
    void keepLogitsAtLeast(float threshold) {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (logits[i] >= threshold) {
                ids[kept] = ids[i];
                logits[kept] = logits[i];
                kept++;
            }
        }
        assert kept >= 1 : "the max logit always survives";
        if (kept < size) {
            identity = false;
        }
        size = kept;
    }

    /** Index (into the live set) of the largest logit; the lowest id wins ties. */
    int argmax() {
        int best = 0;
        for (int i = 1; i < size; i++) {
            if (logits[i] > logits[best] || (logits[i] == logits[best] && ids[i] < ids[best])) {
                best = i;
            }
        }
        return best;
    }

    /** Fills {@code probs[0, size)} with the softmax of the live logits and returns the largest logit. */
    float softmax() {
        float max = logits[argmax()];
        ExactExp.expShifted(logits, 0, max, probs, 0, size); // probs[i] = (float) Math.exp(logits[i] - max)
        double sum = 0;
        for (int i = 0; i < size; i++) {
            sum += probs[i];
        }
        float inv = (float) (1.0 / sum);
        for (int i = 0; i < size; i++) {
            probs[i] *= inv;
        }
        return max;
    }

    private void fillKeys() {
        for (int i = 0; i < size; i++) {
            keys[i] = LogitOrder.key(logits[i], ids[i]);
        }
    }

    private void readKeys(int n) {
        for (int i = 0; i < n; i++) {
            ids[i] = LogitOrder.id(keys[i]);
            logits[i] = LogitOrder.logit(keys[i]);
        }
        size = n;
        sorted = true;
        identity = false;
    }
}
