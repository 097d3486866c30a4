package r1j.sample;

/**
 * Nucleus sampling (Holtzman et al. 2019, https://arxiv.org/abs/1904.09751): keeps the smallest set of most likely
 * tokens whose probabilities sum to at least {@code p}, like llama.cpp's {@code top_p} (the token that crosses
 * {@code p} is kept). Probabilities are the softmax of the current logits over the current candidates.
 *
 * <p>Without a preceding top-k the candidates are the whole vocabulary; sorting 150k tokens per step would
 * dominate, so tokens below a probability floor are dropped first: if the tokens at or above the floor already sum
 * to {@code p}, the minimal set lies among them (every token above the floor sorts before every token below it).
 * The floor is lowered until that holds, down to a full sort.
 */
final class TopP implements SamplerStep {

    private static final float[] FLOORS = {1e-3f, 1e-5f, 1e-7f};

    private final float p;

    TopP(float p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("top_p " + p + " must be in [0, 1) for the top-p step");
        }
        this.p = p;
    }

    @Override
    public void apply(Candidates c) {
        float max = c.logits[c.argmax()];
        double z = 0; // partition function relative to the max logit
        for (int i = 0; i < c.size; i++) {
            float e = (float) Math.exp(c.logits[i] - max);
            c.probs[i] = e;
            z += e;
        }
        if (!c.sorted()) {
            dropBelowFloor(c, z);
            c.sort();
        }
        double cum = 0;
        for (int i = 0; i < c.size; i++) {
            cum += Math.exp(c.logits[i] - max) / z;
            if (cum >= p) {
                c.truncate(i + 1);
                return;
            }
        }
    }

    /** Drops the tokens below the highest floor whose survivors still hold mass {@code p}; {@code probs} unnormalised. */
    private void dropBelowFloor(Candidates c, double z) {
        for (float floor : FLOORS) {
            float threshold = (float) (floor * z);
            double mass = 0;
            for (int i = 0; i < c.size; i++) {
                if (c.probs[i] >= threshold) {
                    mass += c.probs[i];
                }
            }
            if (mass / z >= p) {
                c.compact(threshold, false);
                return;
            }
        }
    }
}
