package r1j.engine;

import java.util.List;
import r1j.model.Batch;

/**
 * The rows of one forward step: which sequences feed how many tokens, and the {@link Batch} built from them.
 * Decoding sequences come first (each feeds its sampled token and any forced ones), then prefill chunks of at most
 * {@code prefillChunk} tokens per sequence, in admission order, until {@code batchTokens} rows. Only a sequence
 * whose feed ends in this step asks for logits, on its last row.
 *
 * <p>Buffers are sized once; a {@link Batch} per row count is built on first use and refilled in place after.
 */
final class StepPlan {

    private final int batchTokens;
    private final int prefillChunk;
    private final Batch[] batchBySize;  // [batchTokens + 1], lazily
    private final Sequence[] sequences; // [parallel]: in row order
    private final int[] counts;         // [parallel]: rows each feeds
    private final boolean[] logits;     // [parallel]: whether its last row has logits
    private int size;

    StepPlan(int parallel, int batchTokens, int prefillChunk) {
        this.batchTokens = batchTokens;
        this.prefillChunk = prefillChunk;
        this.batchBySize = new Batch[batchTokens + 1];
        this.sequences = new Sequence[parallel];
        this.counts = new int[parallel];
        this.logits = new boolean[parallel];
    }

    /** Plans the next step over the live sequences; returns the number of rows (0: nothing to compute). */
    int plan(List<Sequence> live) {
        size = 0;
        int rows = 0;
        for (Sequence s : live) {
            if (!s.finished && !s.waitingForLead && !s.prefilling && s.remainingFeed() > 0) {
                rows += add(s, Math.min(s.remainingFeed(), batchTokens - rows));
            }
        }
        for (Sequence s : live) {
            if (rows >= batchTokens) {
                break;
            }
            if (!s.finished && s.prefilling) {
                rows += add(s, Math.min(Math.min(s.remainingFeed(), prefillChunk), batchTokens - rows));
            }
        }
        return rows;
    }

    /** Entries (sequences) in the plan. */
    int size() {
        return size;
    }

    Sequence sequence(int i) {
        return sequences[i];
    }

    /** Tokens entry {@code i} feeds this step. */
    int count(int i) {
        return counts[i];
    }

    /** Whether entry {@code i}'s last row has logits (its feed ends in this step). */
    boolean wantsLogits(int i) {
        return logits[i];
    }

    /** The batch of the planned rows; positions continue each slot's cached length. */
    Batch batch(int rows, SlotTable slots) {
        Batch b = batchBySize[rows];
        if (b == null) {
            b = new Batch(new int[rows], new int[rows], new int[rows], new boolean[rows]);
            batchBySize[rows] = b;
        }
        int[] tokens = b.tokens();
        int[] positions = b.positions();
        int[] slotIds = b.slots();
        boolean[] want = b.wantLogits();
        int r = 0;
        for (int i = 0; i < size; i++) {
            Sequence s = sequences[i];
            int start = slots.length(s.slot);
            for (int k = 0; k < counts[i]; k++, r++) {
                tokens[r] = s.feed[s.feedPos + k];
                positions[r] = start + k;
                slotIds[r] = s.slot;
                want[r] = logits[i] && k == counts[i] - 1;
            }
        }
        assert r == rows;
        return b;
    }

    private int add(Sequence s, int count) {
        if (count <= 0) {
            return 0;
        }
        sequences[size] = s;
        counts[size] = count;
        logits[size] = count == s.remainingFeed();
        size++;
        return count;
    }
}
