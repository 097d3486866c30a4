package r1j.sample;

/** Keeps the {@code k} most likely tokens (lowest id first among equal logits), sorted most likely first. */
final class TopK implements SamplerStep {

    private final int k;

    TopK(int k) {
        if (k <= 0) {
            throw new IllegalArgumentException("top_k " + k + " must be positive for the top-k step");
        }
        this.k = k;
    }

    @Override
    public void apply(Candidates c) {
        if (k < c.size) {
            c.keepBest(k);
        }
    }
}
