package r1j.train.recipe;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import r1j.train.data.Example;

/**
 * Packs examples into padded batches of similar length: draws {@code POOL} batches' worth, sorts by length and cuts,
 * so a batch of additions is not padded to the length of a multiplication. Pool {@code k} is drawn from a generator
 * seeded by {@code (seed, k)}, so training resumed at a pool boundary sees the same data as an uninterrupted run.
 */
final class Batches {
    /** One padded batch: {@code seqs} sequences of {@code len} tokens; padding rows have target -1. */
    record Batch(int[] ids, int[] targets, int seqs, int len, int tokens) {}

    static final int POOL = 8;
    private final Function<RandomGenerator, Example> source;
    private final long seed;
    private final int size;
    private final int padId;
    private final int maxLen;
    private final Deque<Batch> ready = new ArrayDeque<>();
    private int pools;

    /** @param firstStep the step training starts (or resumes) at; a multiple of {@link #POOL} */
    Batches(Function<RandomGenerator, Example> source, long seed, int firstStep, int size, int padId, int maxLen) {
        if (firstStep % POOL != 0) {
            throw new IllegalArgumentException("resume step %d is not a multiple of %d".formatted(firstStep, POOL));
        }
        this.source = source;
        this.seed = seed;
        this.pools = firstStep / POOL;
        this.size = size;
        this.padId = padId;
        this.maxLen = maxLen;
    }

    Batch next() {
        if (ready.isEmpty()) {
            List<Example> pool = new ArrayList<>();
            SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + pools++);
            while (pool.size() < POOL * size) {
                Example e = source.apply(rnd);
                if (e.length() <= maxLen) {
                    pool.add(e);
                }
            }
            pool.sort(Comparator.comparingInt(Example::length));
            List<Batch> cut = new ArrayList<>();
            for (int i = 0; i < POOL; i++) {
                cut.add(pack(pool.subList(i * size, (i + 1) * size), padId));
            }
            java.util.Collections.shuffle(cut, new java.util.Random(rnd.nextLong()));
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
