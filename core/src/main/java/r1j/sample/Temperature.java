package r1j.sample;

/**
 * Divides the logits by the temperature: below 1 sharpens the distribution, above 1 flattens it. Runs after the
 * filters, as in llama.cpp's default chain, so the filters see the model's own distribution.
 */
final class Temperature implements SamplerStep {

    private final float temperature;

    Temperature(float temperature) {
        if (!(temperature > 0) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature " + temperature + " must be positive for the temperature step; 0 means greedy");
        }
        this.temperature = temperature;
    }

    @Override
    public void apply(Candidates c) {
        float inv = 1f / temperature;
        for (int i = 0; i < c.size; i++) {
            c.logits[i] *= inv;
        }
    }
}
