package r1j.sample.legacy;

import r1j.sample.SamplerSettings;
import r1j.sample.SampledToken;
import r1j.sample.TokenLogprob;

/** One link of the sampler chain: changes the logits of the candidates or removes some of them. */
interface LegacySamplerStep {

    /** Applies this step to the live candidates; at least one candidate always survives. */
    void apply(LegacyCandidates candidates);
}
