package r1j.sample.legacy;

import r1j.sample.SamplerSettings;
import r1j.sample.SampledToken;
import r1j.sample.TokenLogprob;

/**
 * Min-p (Nguyen et al. 2024, https://arxiv.org/abs/2407.01082): keeps the tokens whose probability is at least
 * {@code minP} times that of the most likely token. As in llama.cpp this is done on logits
 * ({@code logit >= maxLogit + ln(minP)}), which needs no softmax and keeps the candidates' order.
 */
final class LegacyMinP implements LegacySamplerStep {

    private final float minP;

    LegacyMinP(float minP) {
        if (!(minP > 0 && minP <= 1)) {
            throw new IllegalArgumentException("min_p " + minP + " must be in (0, 1] for the min-p step");
        }
        this.minP = minP;
    }

    @Override
    public void apply(LegacyCandidates c) {
        float max = c.logits[c.argmax()];
        c.keepLogitsAtLeast(max + (float) Math.log(minP));
    }
}
