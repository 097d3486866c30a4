package r1j.sample;

import java.util.Arrays;

/**
 * Sort keys for (logit, token id) pairs: one {@code long} whose ascending order is logit descending, then id
 * ascending. Sorting primitive longs avoids boxing and a comparator, and the id tie-break makes every ordering (and
 * so greedy picks and top-k cut-offs) deterministic.
 */
final class LogitOrder {

    private LogitOrder() {
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
     * order, in O(size log k) with no allocation: a max-heap of the best k seen so far.
     */
    static void selectSmallest(long[] keys, int size, int k) {
        assert k > 0 && k <= size;
        for (int i = k / 2 - 1; i >= 0; i--) {
            siftDown(keys, i, k);
        }
        for (int i = k; i < size; i++) {
            if (keys[i] < keys[0]) {
                keys[0] = keys[i];
                siftDown(keys, 0, k);
            }
        }
        Arrays.sort(keys, 0, k);
    }

    private static void siftDown(long[] heap, int i, int n) {
        long v = heap[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= n) {
                break;
            }
            if (child + 1 < n && heap[child + 1] > heap[child]) {
                child++;
            }
            if (heap[child] <= v) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = v;
    }
}
