package r1j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static r1j.model.GoldenModels.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The dense forward pass against llama.cpp: r1j computes F32 activations on dequantized weights, so its target is
 * llama.cpp's run of the same weights dequantized to F32 ({@code <TYPE>.deq.*}), within the golden README's 1e-3.
 * The goldens were made with an F32 KV cache, which these tests use; the {@code f16Cache} tests run r1j's default
 * F16 cache and allow in addition the F16 cache's own effect that llama.cpp measured on the same model
 * ({@code f16_kv_cache_effect_on_F32_model_max_abs_logit_diff} in the manifest).
 */
class DenseGoldenTest {

    /** Max abs logit difference allowed against llama.cpp's dequantized-F32 logits (golden README). */
    static final float TOLERANCE = 1e-3f;
    /** r1j batch vs token-by-token: the same math up to summation order. */
    static final float BATCH_VS_SEQUENTIAL = 1e-4f;

    static Stream<Arguments> sequences() {
        List<Arguments> out = new ArrayList<>();
        for (String v : DENSE_VARIANTS) for (String t : DENSE_TYPES) for (String s : List.of("seq8", "seq48")) out.add(Arguments.of(v, t, s));
        return out.stream();
    }

    static Stream<Arguments> models() {
        List<Arguments> out = new ArrayList<>();
        for (String v : DENSE_VARIANTS) for (String t : DENSE_TYPES) out.add(Arguments.of(v, t));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("sequences")
    void forward_wholeSequenceInOneBatch_matchesLlamaCppDequantizedLogits(String variant, String type, String seq) throws Exception {
        int[] tokens = sequence(variant, seq);
        float[] expected = f32(variant, type + ".deq.logits." + seq + ".f32");
        try (LanguageModel model = GoldenModels.loadPlain(model(variant, type))) {
            int vocab = model.config().vocab();
            assertThat(expected).hasSize(tokens.length * vocab);
            float[] logits = new float[tokens.length * vocab];
            model.forward(Batch.ofSequence(tokens, 0, true), model.newCache(1, 64, KvCacheType.F32), logits);
            assertThat(maxAbsDiff(logits, expected, logits.length)).isLessThanOrEqualTo(TOLERANCE);
        }
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("sequences")
    void forward_tokenByTokenThroughCache_matchesLlamaCppAndOwnBatch(String variant, String type, String seq) throws Exception {
        int[] tokens = sequence(variant, seq);
        float[] expected = f32(variant, type + ".deq.logits." + seq + ".f32");
        try (LanguageModel model = GoldenModels.loadPlain(model(variant, type))) {
            int vocab = model.config().vocab();
            float[] batched = new float[tokens.length * vocab];
            model.forward(Batch.ofSequence(tokens, 0, true), model.newCache(1, tokens.length, KvCacheType.F32), batched);

            KvCache cache = model.newCache(1, tokens.length, KvCacheType.F32);
            float[] sequential = new float[tokens.length * vocab];
            float[] step = new float[vocab];
            for (int p = 0; p < tokens.length; p++) {
                model.forward(Batch.ofSequence(new int[] {tokens[p]}, p, true), cache, step);
                System.arraycopy(step, 0, sequential, p * vocab, vocab);
            }
            assertThat(cache.length(0)).isEqualTo(tokens.length);
            assertThat(maxAbsDiff(sequential, expected, sequential.length)).isLessThanOrEqualTo(TOLERANCE);
            assertThat(maxAbsDiff(sequential, batched, sequential.length)).isLessThanOrEqualTo(BATCH_VS_SEQUENTIAL);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("models")
    void greedy_promptThen24Steps_matchesLlamaCppDequantizedIds(String variant, String type) throws Exception {
        JsonNode manifest = manifest(variant);
        int[] prompt = ints(manifest.path("greedy").path("prompt_ids"), "greedy.prompt_ids");
        JsonNode deq = manifest.path("types").path(type).path("dequantized_f32_math");
        int[] expected = ints(deq.path("greedy_ids"), "types." + type + ".dequantized_f32_math.greedy_ids");
        float[] margins = floats(deq.path("greedy_top1_minus_top2_margins"), "greedy_top1_minus_top2_margins");
        try (LanguageModel model = GoldenModels.loadPlain(model(variant, type))) {
            int[] got = greedyIds(model, model.newCache(1, prompt.length + expected.length, KvCacheType.F32), prompt, expected.length);
            int first = firstMismatch(got, expected);
            if (first >= 0) {
                // A different choice is only legitimate where llama.cpp itself saw a near-tie.
                assertThat(margins[first])
                        .as("greedy ids %s differ from %s at step %d, where llama.cpp's top-2 margin is not a near-tie",
                                Arrays.toString(got), Arrays.toString(expected), first)
                        .isLessThan(TOLERANCE);
            }
        }
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("sequences")
    void f16Cache_batchAndTokenByToken_matchLlamaCppWithinTheF16CacheEffect(String variant, String type, String seq) throws Exception {
        int[] tokens = sequence(variant, seq);
        float[] expected = f32(variant, type + ".deq.logits." + seq + ".f32");
        float tolerance = TOLERANCE + (float) manifest(variant).path("f16_kv_cache_effect_on_F32_model_max_abs_logit_diff")
                .path(seq).asDouble(Double.NaN);
        assertThat(tolerance).as("the manifest's F16 cache effect for %s %s", variant, seq).isNotNaN();
        try (LanguageModel model = GoldenModels.loadPlain(model(variant, type))) {
            assertThat(model.defaultCacheType()).isEqualTo(KvCacheType.F16);
            int vocab = model.config().vocab();
            float[] batched = new float[tokens.length * vocab];
            KvCache whole = model.newCache(1, tokens.length);
            model.forward(Batch.ofSequence(tokens, 0, true), whole, batched);
            assertThat(maxAbsDiff(batched, expected, batched.length)).isLessThanOrEqualTo(tolerance);

            KvCache cache = model.newCache(1, tokens.length, KvCacheType.F16);
            float[] sequential = new float[tokens.length * vocab];
            float[] step = new float[vocab];
            for (int p = 0; p < tokens.length; p++) {
                model.forward(Batch.ofSequence(new int[] {tokens[p]}, p, true), cache, step);
                System.arraycopy(step, 0, sequential, p * vocab, vocab);
            }
            assertThat(maxAbsDiff(sequential, expected, sequential.length)).isLessThanOrEqualTo(tolerance);
        }
    }
}
