package r1j.sample.legacy;

import r1j.sample.SamplerSettings;
import r1j.sample.SampledToken;
import r1j.sample.TokenLogprob;

import java.util.random.RandomGenerator;

/**
 * The last link: draws one candidate with probability softmax(logit), by inverting the cumulative distribution
 * with one uniform draw from the injected generator (so a seeded generator gives reproducible picks).
 */
final class LegacyRandomPick {

    private final RandomGenerator random;

    LegacyRandomPick(RandomGenerator random) {
        this.random = random;
    }

    /** Index into the live candidates of the drawn token. */
    int pick(LegacyCandidates c) {
        c.softmax();
        double u = random.nextDouble();
        double cum = 0;
        for (int i = 0; i < c.size; i++) {
            cum += c.probs[i];
            if (u < cum) {
                return i;
            }
        }
        // u fell into the rounding gap above the last cumulative sum: the last token with mass takes it.
        for (int i = c.size - 1; i > 0; i--) {
            if (c.probs[i] > 0) {
                return i;
            }
        }
        return 0;
    }
}
