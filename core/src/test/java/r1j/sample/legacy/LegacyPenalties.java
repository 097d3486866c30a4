package r1j.sample.legacy;

import r1j.sample.SamplerSettings;
import r1j.sample.SampledToken;
import r1j.sample.TokenLogprob;

/**
 * Repetition, presence and frequency penalties over the recent tokens, as llama.cpp's {@code penalties} sampler
 * (src/llama-sampling.cpp): for each distinct token among the recent ones with {@code count} occurrences, its logit
 * is divided by the repetition penalty when positive and multiplied by it otherwise, then
 * {@code count * frequency + presence} is subtracted (OpenAI's definition). Runs first in the chain, on the whole
 * vocabulary in id order.
 */
final class LegacyPenalties implements LegacySamplerStep {

    private final float repetition;
    private final float presence;
    private final float frequency;
    private final LegacyTokenHistory history;
    private final int[] counts;   // [vocab], zero between calls
    private final int[] distinct; // [vocab], tokens with a non-zero count this call

    LegacyPenalties(float repetition, float presence, float frequency, LegacyTokenHistory history, int vocab) {
        this.repetition = repetition;
        this.presence = presence;
        this.frequency = frequency;
        this.history = history;
        this.counts = new int[vocab];
        this.distinct = new int[vocab];
    }

    @Override
    public void apply(LegacyCandidates c) {
        assert c.identity() : "penalties run first, on the whole vocabulary";
        int nDistinct = 0;
        for (int i = 0, n = history.size(); i < n; i++) {
            int token = history.get(i);
            if (token < 0 || token >= counts.length) {
                continue; // a token outside this vocabulary (e.g. from another model) cannot be penalised
            }
            if (counts[token]++ == 0) {
                distinct[nDistinct++] = token;
            }
        }
        for (int j = 0; j < nDistinct; j++) {
            int token = distinct[j];
            float logit = c.logits[token];
            logit = logit <= 0 ? logit * repetition : logit / repetition;
            c.logits[token] = logit - counts[token] * frequency - presence;
            counts[token] = 0;
        }
    }
}
