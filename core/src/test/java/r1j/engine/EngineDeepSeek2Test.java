package r1j.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import r1j.sample.SamplerSettings;

/**
 * The engine's scheduling on a {@code deepseek2} model (latent KV cache, MoE): continuous batching with chunked
 * prefill beside decoding rows, and the prefix cache copying latent prefixes between slots, give each request the
 * tokens the plain greedy loop gives it alone.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EngineDeepSeek2Test {

    private static final String V3 = "deepseek2-v3";
    private static final String LITE = "deepseek2-lite";

    private static GenerationRequest greedy(int[] prompt, int maxTokens) {
        return GenerationRequest.tokens(prompt).withSampling(SamplerSettings.greedy()).withMaxTokens(maxTokens)
                .withIgnoreEos(true);
    }

    @Test
    void continuousBatching_givesEverySequenceTheTokensItGetsAlone() throws Exception {
        int[] seq = EngineFixtures.sequence48(V3);
        int[][] prompts = {
                EngineFixtures.slice(seq, 0, 3),
                EngineFixtures.slice(seq, 0, 29),
                EngineFixtures.greedyPrompt(V3),
                EngineFixtures.slice(seq, 10, 40),
        };
        int steps = 8;
        // 8 tokens a step, prompts in chunks of 5: prefill chunks run beside decoding rows
        EngineOptions options = new EngineOptions(3, 128, 8, 5, 8, 0, false);
        try (Engine engine = EngineFixtures.load(V3, "Q8_0", options)) {
            List<GenerationHandle> handles = new ArrayList<>();
            for (int[] p : prompts) handles.add(engine.submit(greedy(p, steps), GenerationListener.none()));
            for (int i = 0; i < prompts.length; i++) {
                Choice c = handles.get(i).await().first();
                assertThat(c.tokens()).as("prompt %d", i)
                        .containsExactly(EngineFixtures.plainGreedy(V3, "Q8_0", prompts[i], steps));
            }
            assertThat(engine.stats().slotsInUse()).isZero();
        }
    }

    @Test
    void prefixCache_reusesALatentPrefix_andGivesTheColdOutput() throws Exception {
        int[] seq = EngineFixtures.sequence48(LITE);
        int[] first = EngineFixtures.slice(seq, 0, 30);
        int[] second = EngineFixtures.slice(seq, 0, 44);
        int[] cold = EngineFixtures.plainGreedy(LITE, "F16", second, 8);
        try (Engine engine = EngineFixtures.load(LITE, "F16", EngineOptions.defaults().withContextSize(128).withParallel(2))) {
            assertThat(engine.generate(greedy(first, 4)).first().usage().cachedTokens()).isZero();
            Choice warm = engine.generate(greedy(second, 8)).first();
            assertThat(warm.usage().cachedTokens()).isEqualTo(30);
            assertThat(warm.tokens()).containsExactly(cold);
        }
    }
}
