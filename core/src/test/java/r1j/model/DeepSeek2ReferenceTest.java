package r1j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static r1j.model.GoldenModels.*;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code deepseek2} against {@link ReferenceDeepSeek2}, an independent double-precision forward in the naive layout
 * (decompressed per-head K and V) with routing from the papers' formulas: the latent cache with absorbed
 * up-projections computes the same logits, and group-limited routing — which the llama.cpp of the goldens lacks —
 * matches the paper.
 */
class DeepSeek2ReferenceTest {

    /** r1j (float, latent) vs the double-precision naive reference: float rounding only. */
    static final float TOLERANCE = 2e-4f;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"deepseek2-v3, Q8_0", "deepseek2-lite, Q4_0"})
    void forward_latentCacheWithAbsorbedProjections_matchesNaiveLayout(String variant, String type) throws Exception {
        int[] tokens = sequence(variant, "seq8");
        ReferenceDeepSeek2 reference = new ReferenceDeepSeek2(model(variant, type));
        float[] expected;
        try {
            expected = reference.logits(tokens);
        } finally {
            reference.close();
        }
        // the reference itself reproduces llama.cpp (which caches decompressed K and V)
        assertThat(maxAbsDiff(expected, f32(variant, type + ".deq.logits.seq8.f32"), expected.length))
                .isLessThanOrEqualTo(DeepSeek2GoldenTest.TOLERANCE);
        try (LanguageModel model = ModelLoader.load(model(variant, type))) {
            int vocab = model.config().vocab();
            KvCache cache = model.newCache(1, tokens.length);
            float[] got = new float[tokens.length * vocab];
            // a 5-token prefill, then one token at a time: both paths read the latent cache
            model.forward(Batch.ofSequence(java.util.Arrays.copyOf(tokens, 5), 0, true), cache, got);
            float[] step = new float[vocab];
            for (int p = 5; p < tokens.length; p++) {
                model.forward(Batch.ofSequence(new int[] {tokens[p]}, p, true), cache, step);
                System.arraycopy(step, 0, got, p * vocab, vocab);
            }
            assertThat(maxAbsDiff(got, expected, got.length)).isLessThanOrEqualTo(TOLERANCE);
        }
    }

    @ParameterizedTest(name = "{0} {1}: {2} groups, keep {3}")
    @CsvSource({"deepseek2-v3, Q8_0, 4, 2", "deepseek2-v3, Q4_0, 4, 1", "deepseek2-lite, F16, 4, 1"})
    void forward_groupLimitedRouting_matchesPaperReference(String variant, String type, int groups, int groupsUsed) throws Exception {
        Path grouped = GgufRewriter.rewrite(model(variant, type), dir.resolve("grouped.gguf"), name -> true, false, w -> w
                .putUint32("deepseek2.expert_group_count", groups)
                .putUint32("deepseek2.expert_group_used_count", groupsUsed));
        int[] tokens = sequence(variant, "seq8");
        ReferenceDeepSeek2 reference = new ReferenceDeepSeek2(grouped);
        float[] expected;
        try {
            expected = reference.logits(tokens);
        } finally {
            reference.close();
        }
        try (LanguageModel model = ModelLoader.load(grouped)) {
            assertThat(((DeepSeek2Config) model.config()).moe().groupLimited()).isTrue();
            int vocab = model.config().vocab();
            float[] got = new float[tokens.length * vocab];
            model.forward(Batch.ofSequence(tokens, 0, true), model.newCache(1, tokens.length), got);
            assertThat(maxAbsDiff(got, expected, got.length)).isLessThanOrEqualTo(TOLERANCE);
        }
        // the limit changed some expert choices (by far more than the tolerance), so the comparison above exercised it
        float[] ungrouped = f32(variant, type + ".deq.logits.seq8.f32");
        assertThat(maxAbsDiff(expected, ungrouped, expected.length)).isGreaterThan(10 * TOLERANCE);
    }
}
