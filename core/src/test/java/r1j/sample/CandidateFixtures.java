package r1j.sample;

import java.util.Arrays;

/** Builds candidate sets for the step tests. */
final class CandidateFixtures {

    private CandidateFixtures() {
    }

    /** The whole vocabulary of these logits, in id order. */
    static Candidates load(float... logits) {
        Candidates c = new Candidates(logits.length);
        c.load(logits, 0, logits.length);
        return c;
    }

    /** Logits whose softmax is exactly {@code probs}. */
    static float[] logitsOf(double... probs) {
        float[] l = new float[probs.length];
        for (int i = 0; i < probs.length; i++) {
            l[i] = (float) Math.log(probs[i]);
        }
        return l;
    }

    /** The live ids, in candidate order. */
    static int[] ids(Candidates c) {
        return Arrays.copyOf(c.ids, c.size);
    }
}
