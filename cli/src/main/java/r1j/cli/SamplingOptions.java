package r1j.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import r1j.sample.SamplerSettings;

/**
 * The sampling flags shared by {@code r1j generate} and {@code r1j chat} (a picocli mixin). Unset flags keep the
 * DeepSeek-R1 model card's defaults ({@link SamplerSettings#r1Defaults()}: temperature 0.6, top-p 0.95).
 */
public final class SamplingOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--greedy", description = "always take the most likely token (temperature 0)")
    boolean greedy;

    @Option(names = "--temperature", paramLabel = "T", description = "sampling temperature, 0 = greedy (default: 0.6)")
    Float temperature;

    @Option(names = "--top-p", paramLabel = "P", description = "nucleus sampling mass (default: 0.95; 1 = off)")
    Float topP;

    @Option(names = "--top-k", paramLabel = "K", description = "keep the K most likely tokens (default: 0 = off)")
    Integer topK;

    @Option(names = "--min-p", paramLabel = "P", description = "drop tokens below P x the top probability (default: 0)")
    Float minP;

    @Option(names = "--repeat-penalty", paramLabel = "X", description = "penalty on recently seen tokens (default: 1 = off)")
    Float repeatPenalty;

    @Option(names = "--repeat-last-n", paramLabel = "N",
            description = "how many recent tokens the penalty looks at (default: 64; -1 = all)")
    Integer repeatLastN;

    @Option(names = "--seed", paramLabel = "N", description = "random seed; the same seed gives the same output (default: a new one each run)")
    Long seed;

    /**
     * @return the settings these flags describe
     * @throws ParameterException naming the flag when a value is out of range
     */
    public SamplerSettings settings() {
        SamplerSettings s = SamplerSettings.r1Defaults();
        try {
            if (greedy) {
                s = s.withTemperature(0f);
            }
            if (temperature != null) {
                s = s.withTemperature(temperature);
            }
            if (topP != null) {
                s = s.withTopP(topP);
            }
            if (topK != null) {
                s = s.withTopK(topK);
            }
            if (minP != null) {
                s = s.withMinP(minP);
            }
            if (repeatPenalty != null || repeatLastN != null) {
                s = s.withPenalties(repeatPenalty != null ? repeatPenalty : s.repetitionPenalty(),
                        s.presencePenalty(), s.frequencyPenalty(), repeatLastN != null ? repeatLastN : s.penaltyLastN());
            }
            if (seed != null) {
                s = s.withSeed(seed);
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        return s;
    }
}
