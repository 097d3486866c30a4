package r1j.sample.legacy;

import r1j.sample.SamplerSettings;
import r1j.sample.SampledToken;
import r1j.sample.TokenLogprob;

/**
 * Sort keys for (logit, token id) pairs: one {@code long} whose ascending order is logit descending, then id
 * ascending. Sorting primitive longs avoids boxing and a comparator, and the id tie-break makes every ordering (and
 * so greedy picks and top-k cut-offs) deterministic.
 */
final class LegacyLogitOrder {

    private LegacyLogitOrder() {
    }

    /** The key of a logit and its token id (id ≥ 0). */
    static long key(float logit, int id) {
        int bits = Float.floatToRawIntBits(logit == 0f ? 0f : logit); // -0 and +0 compare equal
        int ordered = bits ^ ((bits >> 31) & 0x7fffffff); // signed-int order now matches float order
        return ((long) ~ordered << 32) | (id & 0xffffffffL); // ~ reverses the order: larger logits first
    }

    /** The token id of a key. */
    static int id(long key) {
        return (int) key;
    }

    /** The logit of a key. */
    static float logit(long key) {
        int ordered = ~(int) (key >>> 32);
        return Float.intBitsToFloat(ordered ^ ((ordered >> 31) & 0x7fffffff));
    }

    /**
     * Moves the {@code k} smallest keys of {@code keys[0, size)} (the best tokens) to {@code keys[0, k)} in ascending
     * order, in O(size log k) with no allocation: a max-heap of the best k seen so far, then sorted in place.
     */
    static void selectSmallest(long[] keys, int size, int k) {
        assert k > 0 && k <= size;
        heapify(keys, 0, k);
        for (int i = k; i < size; i++) {
            if (keys[i] < keys[0]) {
                keys[0] = keys[i];
                siftDown(keys, 0, 0, k);
            }
        }
        sortHeap(keys, 0, k);
    }

    /**
     * Sorts {@code keys[from, to)} ascending in place. Heapsort, because the JDK's {@code Arrays.sort(long[])}
     * allocates while partitioning (JDK 22+) and the sampler must not allocate per token.
     */
    static void sort(long[] keys, int from, int to) {
        heapify(keys, from, to - from);
        sortHeap(keys, from, to - from);
    }

    private static void heapify(long[] heap, int base, int n) {
        for (int i = n / 2 - 1; i >= 0; i--) {
            siftDown(heap, base, i, n);
        }
    }

    /** Turns the max-heap {@code heap[base, base + n)} into ascending order. */
    private static void sortHeap(long[] heap, int base, int n) {
        for (int end = n - 1; end > 0; end--) {
            long top = heap[base];
            heap[base] = heap[base + end];
            heap[base + end] = top;
            siftDown(heap, base, 0, end);
        }
    }

    private static void siftDown(long[] heap, int base, int i, int n) {
        long v = heap[base + i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= n) {
                break;
            }
            if (child + 1 < n && heap[base + child + 1] > heap[base + child]) {
                child++;
            }
            if (heap[base + child] <= v) {
                break;
            }
            heap[base + i] = heap[base + child];
            i = child;
        }
        heap[base + i] = v;
    }
}
