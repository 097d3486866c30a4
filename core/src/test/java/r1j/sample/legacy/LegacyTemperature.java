package r1j.sample.legacy;

import r1j.sample.SamplerSettings;
import r1j.sample.SampledToken;
import r1j.sample.TokenLogprob;

/**
 * Divides the logits by the temperature: below 1 sharpens the distribution, above 1 flattens it. Runs after the
 * filters, as in llama.cpp's default chain, so the filters see the model's own distribution.
 */
final class LegacyTemperature implements LegacySamplerStep {

    private final float temperature;

    LegacyTemperature(float temperature) {
        if (!(temperature > 0) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature " + temperature + " must be positive for the temperature step; 0 means greedy");
        }
        this.temperature = temperature;
    }

    @Override
    public void apply(LegacyCandidates c) {
        float inv = 1f / temperature;
        for (int i = 0; i < c.size; i++) {
            c.logits[i] *= inv;
        }
    }
}
