package r1j.sample;

/** One link of the sampler chain: changes the logits of the candidates or removes some of them. */
interface SamplerStep {

    /** Applies this step to the live candidates; at least one candidate always survives. */
    void apply(Candidates candidates);
}
