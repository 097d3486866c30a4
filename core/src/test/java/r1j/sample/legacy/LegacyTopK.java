package r1j.sample.legacy;

import r1j.sample.SamplerSettings;
import r1j.sample.SampledToken;
import r1j.sample.TokenLogprob;

/** Keeps the {@code k} most likely tokens (lowest id first among equal logits), sorted most likely first. */
final class LegacyTopK implements LegacySamplerStep {

    private final int k;

    LegacyTopK(int k) {
        if (k <= 0) {
            throw new IllegalArgumentException("top_k " + k + " must be positive for the top-k step");
        }
        this.k = k;
    }

    @Override
    public void apply(LegacyCandidates c) {
        if (k < c.size) {
            c.keepBest(k);
        }
    }
}
