package r1j.cli.chat;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import r1j.sample.SamplerSettings;

/**
 * What a chat asks the model with, changed by the slash commands mid-chat: whether it thinks and how long, whether
 * the reasoning is shown, the sampling settings and the reply length ({@code /set KEY VALUE}, as in Ollama's and
 * llama.cpp's chats), and the system prompt ({@code /system TEXT}, kept in the {@link Conversation}).
 *
 * @param think        let the model think (else it answers directly: budget 0)
 * @param showThinking print the reasoning (else only how long it took)
 * @param budget       most reasoning tokens, -1 unlimited
 * @param sampling     how tokens are picked
 * @param maxTokens    most tokens per reply, reasoning included; -1 until the context is full
 */
public record ChatSettings(boolean think, boolean showThinking, int budget, SamplerSettings sampling, int maxTokens) {

    /** The keys {@code /set} takes, in the order {@code /show} lists them. */
    public static final List<String> KEYS =
            List.of("temperature", "top_p", "top_k", "min_p", "repeat_penalty", "seed", "max_tokens");

    public ChatSettings {
        Objects.requireNonNull(sampling, "sampling");
        if (budget < -1) {
            throw new IllegalArgumentException("budget " + budget + " must be -1 (no limit), 0 or a token count");
        }
        if (maxTokens == 0 || maxTokens < -1) {
            throw new IllegalArgumentException("max_tokens " + maxTokens + " must be positive, or -1 for no limit");
        }
    }

    /** The reasoning budget a reply is asked with: 0 when thinking is off. */
    public int effectiveBudget() {
        return think ? budget : 0;
    }

    public ChatSettings withThink(boolean on) {
        return new ChatSettings(on, showThinking, budget, sampling, maxTokens);
    }

    public ChatSettings withShowThinking(boolean show) {
        return new ChatSettings(think, show, budget, sampling, maxTokens);
    }

    public ChatSettings withBudget(int tokens) {
        return new ChatSettings(think, showThinking, tokens, sampling, maxTokens);
    }

    /**
     * These settings with {@code key} set to {@code value}, as {@code /set key value} asks.
     *
     * @throws IllegalArgumentException naming the key and the accepted values when either is wrong
     */
    public ChatSettings with(String key, String value) {
        String k = key.toLowerCase(Locale.ROOT).replace('-', '_');
        try {
            return switch (k) {
                case "temperature" -> withSampling(sampling.withTemperature(number(k, value)));
                case "top_p" -> withSampling(sampling.withTopP(number(k, value)));
                case "top_k" -> withSampling(sampling.withTopK(integer(k, value)));
                case "min_p" -> withSampling(sampling.withMinP(number(k, value)));
                case "repeat_penalty" -> withSampling(sampling.withPenalties(number(k, value),
                        sampling.presencePenalty(), sampling.frequencyPenalty(), sampling.penaltyLastN()));
                case "seed" -> withSampling(sampling.withSeed(value.equalsIgnoreCase("random")
                        ? SamplerSettings.RANDOM_SEED : seed(value)));
                case "max_tokens" -> new ChatSettings(think, showThinking, budget, sampling,
                        value.equalsIgnoreCase("off") ? -1 : integer(k, value));
                default -> throw new IllegalArgumentException("no setting '" + key + "'; /set takes "
                        + String.join(", ", KEYS));
            };
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith("no setting") || e.getMessage().startsWith("use /set")
                    ? e : new IllegalArgumentException("cannot set " + k + ": " + e.getMessage(), e);
        }
    }

    /** The settings as {@code /show} prints them, one {@code key value} a line. */
    public String describe() {
        SamplerSettings s = sampling;
        return String.join("\n",
                "temperature     " + num(s.temperature()) + (s.isGreedy() ? " (greedy)" : ""),
                "top_p           " + num(s.topP()) + (s.topP() == 1f ? " (off)" : ""),
                "top_k           " + s.topK() + (s.topK() == 0 ? " (off)" : ""),
                "min_p           " + num(s.minP()) + (s.minP() == 0f ? " (off)" : ""),
                "repeat_penalty  " + num(s.repetitionPenalty()) + (s.repetitionPenalty() == 1f ? " (off)" : ""),
                "seed            " + (s.seed() == SamplerSettings.RANDOM_SEED ? "random" : Long.toString(s.seed())),
                "max_tokens      " + (maxTokens < 0 ? "off (until the context is full)" : Integer.toString(maxTokens)),
                "think           " + (think ? "on" : "off") + ", reasoning " + (showThinking ? "shown" : "hidden"),
                "budget          " + (budget < 0 ? "off (no limit)" : budget + " reasoning tokens"));
    }

    private ChatSettings withSampling(SamplerSettings s) {
        return new ChatSettings(think, showThinking, budget, s, maxTokens);
    }

    private static float number(String key, String value) {
        try {
            return Float.parseFloat(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("use /set " + key + " NUMBER, got '" + value + "'");
        }
    }

    private static int integer(String key, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("use /set " + key + " INTEGER, got '" + value + "'");
        }
    }

    private static long seed(String value) {
        try {
            long seed = Long.parseLong(value);
            if (seed >= 0) {
                return seed;
            }
        } catch (NumberFormatException e) {
            // Falls through to the message below.
        }
        throw new IllegalArgumentException("use /set seed N with N >= 0, or /set seed random; got '" + value + "'");
    }

    private static String num(float v) {
        return v == (int) v ? Integer.toString((int) v) : Float.toString(v);
    }
}
