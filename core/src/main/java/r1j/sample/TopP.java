package r1j.sample;

/**
 * Nucleus sampling (Holtzman et al. 2019, https://arxiv.org/abs/1904.09751): keeps the smallest set of most likely
 * tokens whose probabilities sum to at least {@code p}, like llama.cpp's {@code top_p} (the token that crosses
 * {@code p} is kept; equal logits are taken lowest id first). Probabilities are the softmax of the current logits
 * over the current candidates.
 *
 * <p>After top-k the candidates are few and sorted, and a cumulative scan suffices. Over a whole vocabulary
 * (150k tokens) a sort would dominate the step, so the set is found with one bucket pass instead: tokens are
 * bucketed by their distance below the largest logit, bucket masses are summed from the top until they reach
 * {@code p}, every token of the buckets above that crossing bucket is kept, and only the crossing bucket is sorted
 * to find where the set ends. The kept set is then exactly the minimal one, but not in sorted order. The
 * exponentials come from {@link ExactExp}, bit-identical to {@code (float) Math.exp} and faster.
 */
final class TopP implements SamplerStep {

    private static final int BUCKETS = 1024;
    /** Logit span the buckets cover below the max; anything lower (p &lt; e^-32 of the max) shares the last one. */
    private static final float SPAN = 32f;
    private static final float SCALE = BUCKETS / SPAN;

    private final float p;
    private final double[] bucketMass = new double[BUCKETS];
    private final long[] crossing; // [vocab], sort keys of the crossing bucket's tokens

    TopP(float p, int vocab) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("top_p " + p + " must be in [0, 1) for the top-p step");
        }
        this.p = p;
        this.crossing = new long[vocab];
    }

    @Override
    public void apply(Candidates c) {
        float max = c.logits[c.argmax()];
        ExactExp.expShifted(c.logits, 0, max, c.probs, 0, c.size); // probs[i] = (float) Math.exp(logit - max)
        double z = 0; // softmax denominator relative to the max logit
        for (int i = 0; i < c.size; i++) {
            z += c.probs[i];
        }
        double target = p * z;
        if (c.sorted()) {
            keepSortedPrefix(c, target);
        } else {
            keepByBuckets(c, max, target);
        }
    }

    private static void keepSortedPrefix(Candidates c, double target) {
        double cum = 0;
        for (int i = 0; i < c.size; i++) {
            cum += c.probs[i];
            if (cum >= target) {
                c.truncate(i + 1);
                return;
            }
        }
    }

    private void keepByBuckets(Candidates c, float max, double target) {
        java.util.Arrays.fill(bucketMass, 0);
        for (int i = 0; i < c.size; i++) {
            bucketMass[bucket(c.logits[i], max)] += c.probs[i];
        }
        int cross = BUCKETS - 1;
        double above = 0; // mass of the buckets above the crossing one
        for (int b = 0; b < BUCKETS; b++) {
            if (above + bucketMass[b] >= target) {
                cross = b;
                break;
            }
            above += bucketMass[b];
        }
        int kept = 0;
        int nCrossing = 0;
        for (int i = 0; i < c.size; i++) {
            int b = bucket(c.logits[i], max);
            if (b < cross) {
                c.ids[kept] = c.ids[i];
                c.logits[kept] = c.logits[i];
                c.probs[kept] = c.probs[i];
                kept++;
            } else if (b == cross) {
                crossing[nCrossing++] = LogitOrder.key(c.logits[i], c.ids[i]);
            }
        }
        LogitOrder.sort(crossing, 0, nCrossing);
        double cum = above;
        for (int j = 0; j < nCrossing && (cum < target || kept == 0); j++) {
            float logit = LogitOrder.logit(crossing[j]);
            float e = (float) Math.exp(logit - max);
            c.ids[kept] = LogitOrder.id(crossing[j]);
            c.logits[kept] = logit;
            c.probs[kept] = e;
            kept++;
            cum += e;
        }
        c.shrinkUnsorted(kept);
    }

    private static int bucket(float logit, float max) {
        // max - logit ≥ 0; -inf logits give +inf, which the int cast saturates, then the min clamps.
        return Math.min(BUCKETS - 1, (int) ((max - logit) * SCALE));
    }
}
