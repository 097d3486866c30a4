package r1j.model;

import java.util.Arrays;

/**
 * The slot and position bookkeeping every KV cache shares, whatever it stores per token: how many tokens each slot
 * holds, the check that a batch's rows continue their slots, and the commit after a forward pass. A slot's length
 * advances only at {@link #commit}, so a failed forward pass leaves the cache as it was.
 */
final class KvSlots {

    private final int slots;
    private final int contextLength;
    private final int[] lengths; // [slot]
    private final int[] next;    // [slot] scratch of checkRows, kept so that checking allocates nothing

    /** @throws IllegalArgumentException if a size is not positive */
    KvSlots(int slots, int contextLength) {
        if (slots <= 0 || contextLength <= 0) {
            throw new IllegalArgumentException("KV cache sizes must be positive: slots %d, context %d".formatted(slots, contextLength));
        }
        this.slots = slots;
        this.contextLength = contextLength;
        this.lengths = new int[slots];
        this.next = new int[slots];
    }

    int slots() { return slots; }

    int contextLength() { return contextLength; }

    int length(int slot) {
        checkSlot(slot);
        return lengths[slot];
    }

    /** Forgets positions {@code from} on of {@code slot}. */
    void truncate(int slot, int from) {
        checkSlot(slot);
        if (from < 0) throw new IllegalArgumentException("truncate position must be ≥ 0, got " + from);
        lengths[slot] = Math.min(lengths[slot], from);
    }

    /** Checks a prefix copy and returns nothing; the cache copies its data, then calls {@link #setLength}. */
    void checkCopy(int from, int to, int length) {
        checkSlot(from);
        checkSlot(to);
        if (length < 0 || length > lengths[from]) {
            throw new IllegalArgumentException("cannot copy %d positions from slot %d which holds %d"
                    .formatted(length, from, lengths[from]));
        }
    }

    void setLength(int slot, int length) {
        lengths[slot] = length;
    }

    /**
     * Checks that every row of {@code batch} names a slot and continues it: the first row of a slot is at the slot's
     * length, each further row of that slot one position later, all below the context length.
     *
     * @throws IllegalArgumentException naming the row, slot, position and length when one does not
     */
    void checkRows(Batch batch) {
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

    void clear() {
        Arrays.fill(lengths, 0);
    }

    void checkSlot(int slot) {
        if (slot < 0 || slot >= slots) {
            throw new IllegalArgumentException("slot %d is outside the cache's %d slots".formatted(slot, slots));
        }
    }
}
