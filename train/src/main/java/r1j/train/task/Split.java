package r1j.train.task;

/**
 * The fixed train/test split: a problem is held out when a stable hash of its key falls in one bucket of
 * {@link #BUCKETS}. Training draws reject held-out keys and test draws accept only them, so the two never meet,
 * whatever the seed.
 */
public final class Split {
    static final int BUCKETS = 8;

    private Split() {}

    /** True when the problem belongs to the held-out test set. */
    public static boolean heldOut(Problem p) {
        long h = 0xcbf29ce484222325L; // FNV-1a 64: stable across JVMs, unlike String.hashCode's spread
        for (char c : p.key().toCharArray()) {
            h ^= c;
            h *= 0x100000001b3L;
        }
        return Math.floorMod(h ^ (h >>> 29), BUCKETS) == 0;
    }
}
