package r1j.model;

/**
 * The rows of one forward step: row {@code i} feeds token {@code tokens[i]} at position {@code positions[i]} of the
 * sequence held in KV-cache slot {@code slots[i]}. Rows of one slot appear in increasing position order and each
 * slot's positions continue where its cache ends. Prefill is many rows of one slot, decoding is one row per live
 * sequence, continuous batching mixes both.
 *
 * <p>{@code wantLogits[i]} says whether the caller needs the logits of row {@code i}; the forward pass writes those
 * rows' logits, in row order, one {@code [vocab]} block each.
 */
public record Batch(int[] tokens, int[] positions, int[] slots, boolean[] wantLogits) {

    public Batch {
        if (tokens.length != positions.length || tokens.length != slots.length || tokens.length != wantLogits.length) {
            throw new IllegalArgumentException("batch arrays differ in length: tokens %d, positions %d, slots %d, wantLogits %d"
                    .formatted(tokens.length, positions.length, slots.length, wantLogits.length));
        }
    }

    public int size() { return tokens.length; }

    /** Number of rows whose logits are requested. */
    public int logitRows() {
        int n = 0;
        for (boolean w : wantLogits) if (w) n++;
        return n;
    }

    /** One sequence in slot 0 at positions {@code start, start+1, ...}; logits for every row or only the last. */
    public static Batch ofSequence(int[] tokens, int start, boolean allLogits) {
        int n = tokens.length;
        int[] positions = new int[n];
        boolean[] want = new boolean[n];
        for (int i = 0; i < n; i++) {
            positions[i] = start + i;
            want[i] = allLogits || i == n - 1;
        }
        return new Batch(tokens.clone(), positions, new int[n], want);
    }
}
