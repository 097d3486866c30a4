package r1j.sample.legacy;

import r1j.sample.SamplerSettings;
import r1j.sample.SampledToken;
import r1j.sample.TokenLogprob;

/**
 * The recent tokens of one sequence, for the penalties: the last {@code window} tokens in a ring buffer, or all of
 * them ({@code window} −1, the buffer then grows by doubling). A window of 0 keeps nothing.
 */
final class LegacyTokenHistory {

    private final int window;
    private int[] ring;
    private int count; // tokens ever added (for the growing form: tokens held)

    LegacyTokenHistory(int window) {
        if (window < -1) {
            throw new IllegalArgumentException("history window " + window + " must be -1 (all), 0 or positive");
        }
        this.window = window;
        this.ring = new int[window == -1 ? 256 : window];
    }

    void add(int token) {
        if (window == 0) {
            return;
        }
        if (window == -1) {
            if (count == ring.length) {
                ring = java.util.Arrays.copyOf(ring, ring.length * 2);
            }
            ring[count++] = token;
            return;
        }
        ring[count % window] = token;
        count++;
    }

    /** How many tokens the penalties see now. */
    int size() {
        return window == -1 ? count : Math.min(count, window);
    }

    /** The i-th held token, in no particular order (penalties only count occurrences). */
    int get(int i) {
        assert i >= 0 && i < size();
        return ring[i];
    }

    void clear() {
        count = 0;
    }
}
