package r1j.sample;

/**
 * How to pick the next token. Values that switch a step off: {@code topK} 0, {@code topP} 1, {@code minP} 0,
 * {@code repetitionPenalty} 1, {@code presencePenalty}/{@code frequencyPenalty} 0, {@code penaltyLastN} 0.
 *
 * @param temperature       divides the logits before the pick; 0 means greedy (argmax, lowest id on ties), [0, 100]
 * @param topK              keep the k most likely tokens; 0 keeps all
 * @param topP              keep the smallest set of most likely tokens whose probability sums to at least topP, [0, 1]
 * @param minP              keep tokens at least minP times as likely as the most likely one, [0, 1]
 * @param repetitionPenalty llama.cpp's repeat penalty on tokens among the last {@code penaltyLastN}: positive logits
 *                          are divided by it, negative ones multiplied, (0, 10]
 * @param presencePenalty   OpenAI's: subtracted once from the logit of every token among the last
 *                          {@code penaltyLastN}, [-2, 2]
 * @param frequencyPenalty  OpenAI's: subtracted from a token's logit once per occurrence among the last
 *                          {@code penaltyLastN}, [-2, 2]
 * @param penaltyLastN      how many recent tokens the penalties look at; 0 none, −1 all of the sequence
 * @param seed              seed of the random generator, so a fixed seed gives the same output;
 *                          {@link #RANDOM_SEED} draws a fresh one for each sampler
 */
public record SamplerSettings(float temperature, int topK, float topP, float minP, float repetitionPenalty,
                              float presencePenalty, float frequencyPenalty, int penaltyLastN, long seed) {

    /** Seed value asking for a different random seed on every sampler. */
    public static final long RANDOM_SEED = -1L;

    public SamplerSettings {
        checkRange("temperature", temperature, 0, 100);
        if (topK < 0) {
            throw new IllegalArgumentException("top_k " + topK + " is out of range; use 0 to keep all tokens or a positive count");
        }
        checkRange("top_p", topP, 0, 1);
        checkRange("min_p", minP, 0, 1);
        if (!(repetitionPenalty > 0 && repetitionPenalty <= 10)) {
            throw new IllegalArgumentException("repetition_penalty " + repetitionPenalty
                    + " is out of range (0, 10]; use 1 for no penalty");
        }
        checkRange("presence_penalty", presencePenalty, -2, 2);
        checkRange("frequency_penalty", frequencyPenalty, -2, 2);
        if (penaltyLastN < -1) {
            throw new IllegalArgumentException("penalty_last_n " + penaltyLastN
                    + " is out of range; use -1 for the whole sequence, 0 for none, or a positive count");
        }
    }

    /**
     * The DeepSeek-R1 model card's recommendation: temperature 0.6, top-p 0.95, no other filter or penalty,
     * a random seed.
     */
    public static SamplerSettings r1Defaults() {
        return new SamplerSettings(0.6f, 0, 0.95f, 0f, 1f, 0f, 0f, 64, RANDOM_SEED);
    }

    /** Always the most likely token (temperature 0), no filters or penalties. */
    public static SamplerSettings greedy() {
        return new SamplerSettings(0f, 0, 1f, 0f, 1f, 0f, 0f, 64, RANDOM_SEED);
    }

    /** Whether the pick is argmax (temperature 0): the result then does not depend on the seed. */
    public boolean isGreedy() {
        return temperature == 0f;
    }

    /** Whether any penalty is active. */
    public boolean hasPenalties() {
        return penaltyLastN != 0 && (repetitionPenalty != 1f || presencePenalty != 0f || frequencyPenalty != 0f);
    }

    /** These settings with another temperature. */
    public SamplerSettings withTemperature(float t) {
        return new SamplerSettings(t, topK, topP, minP, repetitionPenalty, presencePenalty, frequencyPenalty, penaltyLastN, seed);
    }

    /** These settings with another top-k. */
    public SamplerSettings withTopK(int k) {
        return new SamplerSettings(temperature, k, topP, minP, repetitionPenalty, presencePenalty, frequencyPenalty, penaltyLastN, seed);
    }

    /** These settings with another top-p. */
    public SamplerSettings withTopP(float p) {
        return new SamplerSettings(temperature, topK, p, minP, repetitionPenalty, presencePenalty, frequencyPenalty, penaltyLastN, seed);
    }

    /** These settings with another min-p. */
    public SamplerSettings withMinP(float p) {
        return new SamplerSettings(temperature, topK, topP, p, repetitionPenalty, presencePenalty, frequencyPenalty, penaltyLastN, seed);
    }

    /** These settings with other penalties. */
    public SamplerSettings withPenalties(float repetition, float presence, float frequency, int lastN) {
        return new SamplerSettings(temperature, topK, topP, minP, repetition, presence, frequency, lastN, seed);
    }

    /** These settings with another seed. */
    public SamplerSettings withSeed(long s) {
        return new SamplerSettings(temperature, topK, topP, minP, repetitionPenalty, presencePenalty, frequencyPenalty, penaltyLastN, s);
    }

    private static void checkRange(String name, float value, float min, float max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(name + " " + value + " is out of range [" + fmt(min) + ", " + fmt(max) + "]");
        }
    }

    private static String fmt(float v) {
        return v == (int) v ? Integer.toString((int) v) : Float.toString(v);
    }
}
