package r1j.train.recipe;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;
import r1j.train.data.Example;

/**
 * Packs examples into padded batches of similar length: draws {@code pool} batches' worth, sorts by length and cuts,
 * so a batch of additions is not padded to the length of a multiplication.
 */
final class Batches {
    /** One padded batch: {@code seqs} sequences of {@code len} tokens; padding rows have target -1. */
    record Batch(int[] ids, int[] targets, int seqs, int len, int tokens) {}

    private static final int POOL = 8;
    private final Supplier<Example> source;
    private final int size;
    private final int padId;
    private final int maxLen;
    private final Deque<Batch> ready = new ArrayDeque<>();

    Batches(Supplier<Example> source, int size, int padId, int maxLen) {
        this.source = source;
        this.size = size;
        this.padId = padId;
        this.maxLen = maxLen;
    }

    Batch next() {
        if (ready.isEmpty()) {
            List<Example> pool = new ArrayList<>();
            while (pool.size() < POOL * size) {
                Example e = source.get();
                if (e.length() <= maxLen) {
                    pool.add(e);
                }
            }
            pool.sort(Comparator.comparingInt(Example::length));
            List<Batch> cut = new ArrayList<>();
            for (int i = 0; i < POOL; i++) {
                cut.add(pack(pool.subList(i * size, (i + 1) * size), padId));
            }
            java.util.Collections.shuffle(cut, new java.util.Random(pool.getFirst().length() * 31L + pool.size()));
            ready.addAll(cut);
        }
        return ready.poll();
    }

    static Batch pack(List<Example> examples, int padId) {
        int len = examples.stream().mapToInt(Example::length).max().orElseThrow();
        int seqs = examples.size();
        int[] ids = new int[seqs * len], targets = new int[seqs * len];
        java.util.Arrays.fill(ids, padId);
        java.util.Arrays.fill(targets, -1);
        int tokens = 0;
        for (int b = 0; b < seqs; b++) {
            Example e = examples.get(b);
            System.arraycopy(e.ids(), 0, ids, b * len, e.length());
            System.arraycopy(e.targets(), 0, targets, b * len, e.length());
            tokens += e.length();
        }
        return new Batch(ids, targets, seqs, len, tokens);
    }
}
