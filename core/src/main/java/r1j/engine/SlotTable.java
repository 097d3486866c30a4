package r1j.engine;

import r1j.model.KvCache;

/**
 * The KV-cache slots and what each holds, with the prefix cache on top.
 *
 * <p>A slot is FREE (empty), ACTIVE (a live sequence writes to it) or CACHED (a finished sequence's keys and values,
 * kept for reuse). The table mirrors the token ids behind every computed position, so a new prompt can find the slot
 * sharing its longest prefix: that prefix is copied into an empty slot ({@link KvCache#copyPrefix}) or, when the
 * source is a cached slot and no slot is empty, the cached slot is taken over and truncated to the shared part. A
 * live sequence's slot is only ever copied from. Only the rest of the prompt is then computed. When a slot is needed
 * and none is empty, the least recently used cached slot is evicted.
 *
 * <p>Owned by the scheduler thread; the counters it publishes for statistics are read racily by design.
 */
final class SlotTable {

    enum State { FREE, CACHED, ACTIVE }

    /** Where a new sequence goes and how many of its prompt tokens are already in that slot. */
    record Placement(int slot, int reusedTokens) {
    }

    private final KvCache cache;
    private final boolean prefixCache;
    private final State[] state;
    private final int[][] tokens;   // [slot][position]: the token ids whose K/V the slot holds
    private final int[] length;     // [slot]: positions held, equal to cache.length(slot)
    private final long[] lastUsed;  // [slot]: LRU clock of the last release or reuse
    private long tick;
    private volatile int active;
    private volatile int cached;

    SlotTable(KvCache cache, boolean prefixCache) {
        this.cache = cache;
        this.prefixCache = prefixCache;
        int slots = cache.slots();
        this.state = new State[slots];
        this.tokens = new int[slots][cache.contextLength()];
        this.length = new int[slots];
        this.lastUsed = new long[slots];
        java.util.Arrays.fill(state, State.FREE);
    }

    KvCache cache() {
        return cache;
    }

    /** Tokens one slot holds. */
    int contextLength() {
        return cache.contextLength();
    }

    int slots() {
        return state.length;
    }

    /** Slots a new sequence can take (empty or merely cached). */
    int available() {
        return state.length - active;
    }

    /** Slots held by live sequences. */
    int activeSlots() {
        return active;
    }

    /** Slots holding a finished sequence's KV for reuse. */
    int cachedSlots() {
        return cached;
    }

    int length(int slot) {
        return length[slot];
    }

    /**
     * Takes a slot for a sequence whose prompt is {@code prompt}, reusing the longest cached prefix (at most all but
     * the prompt's last token, whose logits must be computed).
     */
    Placement acquireFor(int[] prompt) {
        assert available() > 0 : "no slot available";
        int source = -1;
        int best = 0;
        if (prefixCache) {
            // Live sequences are sources too (their computed positions never change): concurrent requests with the
            // same system prompt share it. A cached source wins ties, as it may be taken over without a copy.
            for (int s = 0; s < state.length; s++) {
                if (state[s] == State.FREE) {
                    continue;
                }
                int common = commonPrefix(s, prompt, prompt.length - 1);
                if (common > best || (common == best && common > 0 && better(s, source))) {
                    best = common;
                    source = s;
                }
            }
        }
        if (source < 0) {
            return new Placement(acquireEmpty(), 0);
        }
        int target;
        if (state[source] == State.ACTIVE || firstFree() >= 0) {
            // Copy, keeping the original: a live sequence, or a cached prefix later requests may share.
            lastUsed[source] = ++tick;
            target = acquireEmptyExcept(source);
            cache.copyPrefix(source, target, best);
            System.arraycopy(tokens[source], 0, tokens[target], 0, best);
        } else {
            target = source;
            cache.truncate(target, best);
            cached--;
            activate(target);
        }
        length[target] = best;
        assert cache.length(target) == best;
        return new Placement(target, best);
    }

    /** Whether {@code s} is a better prefix source than {@code current} at the same length: cached, then recent. */
    private boolean better(int s, int current) {
        boolean sCached = state[s] == State.CACHED;
        boolean curCached = state[current] == State.CACHED;
        if (sCached != curCached) {
            return sCached;
        }
        return lastUsed[s] > lastUsed[current];
    }

    /** Takes an empty slot, or evicts the least recently used cached one; the slot starts at length 0. */
    int acquireEmpty() {
        return acquireEmptyExcept(-1);
    }

    /** {@link #acquireEmpty()} that never evicts {@code keep}. */
    private int acquireEmptyExcept(int keep) {
        int slot = firstFree();
        if (slot < 0) {
            slot = leastRecentlyUsedCached(keep);
            cache.truncate(slot, 0);
            length[slot] = 0;
            cached--;
        }
        activate(slot);
        return slot;
    }

    /** Copies the first {@code count} positions of active slot {@code from} into active slot {@code to} (n > 1 forks). */
    void copyPrefix(int from, int to, int count) {
        assert state[from] == State.ACTIVE && state[to] == State.ACTIVE;
        cache.copyPrefix(from, to, count);
        System.arraycopy(tokens[from], 0, tokens[to], 0, count);
        length[to] = count;
    }

    /** Records that the forward pass appended {@code count} tokens from {@code ids[from..]} to {@code slot}. */
    void appended(int slot, int[] ids, int from, int count) {
        System.arraycopy(ids, from, tokens[slot], length[slot], count);
        length[slot] += count;
        assert length[slot] == cache.length(slot) : "slot " + slot + " mirror " + length[slot] + " cache " + cache.length(slot);
    }

    /** Records one appended token. */
    void appended(int slot, int id) {
        tokens[slot][length[slot]++] = id;
        assert length[slot] == cache.length(slot) : "slot " + slot + " mirror " + length[slot] + " cache " + cache.length(slot);
    }

    /**
     * Ends a sequence's hold on {@code slot}. With {@code keep} (and the prefix cache on) its KV stays for reuse;
     * otherwise, or when its KV may be inconsistent after a failure, the slot is emptied.
     */
    void release(int slot, boolean keep) {
        assert state[slot] == State.ACTIVE;
        active--;
        if (keep && prefixCache && length[slot] > 0) {
            state[slot] = State.CACHED;
            cached++;
            lastUsed[slot] = ++tick;
        } else {
            cache.truncate(slot, 0);
            length[slot] = 0;
            state[slot] = State.FREE;
        }
    }

    /** Empties every cached slot (the model's weights changed, so their keys and values are stale). */
    void clearCached() {
        for (int s = 0; s < state.length; s++) {
            if (state[s] == State.CACHED) {
                cache.truncate(s, 0);
                length[s] = 0;
                state[s] = State.FREE;
                cached--;
            }
        }
    }

    State state(int slot) {
        return state[slot];
    }

    private void activate(int slot) {
        state[slot] = State.ACTIVE;
        active++;
    }

    private int firstFree() {
        for (int s = 0; s < state.length; s++) {
            if (state[s] == State.FREE) {
                return s;
            }
        }
        return -1;
    }

    private int leastRecentlyUsedCached(int keep) {
        int lru = -1;
        for (int s = 0; s < state.length; s++) {
            if (s != keep && state[s] == State.CACHED && (lru < 0 || lastUsed[s] < lastUsed[lru])) {
                lru = s;
            }
        }
        if (lru < 0) {
            throw new IllegalStateException("no slot to evict: every slot is live");
        }
        return lru;
    }

    private int commonPrefix(int slot, int[] prompt, int limit) {
        int n = Math.min(length[slot], limit);
        int[] held = tokens[slot];
        int i = 0;
        while (i < n && held[i] == prompt[i]) {
            i++;
        }
        return i;
    }
}
