package r1j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static r1j.model.GoldenModels.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The default load — Q4_0, Q4_K and Q6_K matrices repacked for the 8-bit-activation kernels ({@link WeightRepacker}) —
 * against llama.cpp. For Q4_0 the target is llama.cpp's native run ({@code <TYPE>.logits.*}), which rounds the
 * activations of Q4_0 matrices exactly as r1j does (Q8_0: 8 bits per 32 values). For Q4_K_M and Q6_K it is the
 * dequantized-F32 run ({@code .deq}): llama.cpp rounds those activations per 256 values (Q8_K), r1j per 32, so
 * r1j's result lies closer to F32 math than to llama.cpp's native one (measured on these models: 0.05–0.08 from
 * {@code .deq}, 0.09–0.12 from native; Q4_0: 0.047–0.070 from native). {@value #TOLERANCE} is the golden README's
 * allowance for single activations rounding the other way (~0.04–0.07) with a margin for these 2-layer random
 * models, and far below what a wrong kernel gives (the logits' standard deviation is ~0.8).
 */
class RepackedGoldenTest {

    static final float TOLERANCE = 0.1f;

    /** The golden file suffix r1j's 8-bit kernels are compared with, per type (see the class comment). */
    static String target(String type) {
        return type.equals("Q4_0") ? "" : ".deq";
    }

    static Stream<Arguments> sequences() {
        return DENSE_VARIANTS.stream().flatMap(v -> Stream.of("Q4_0", "Q4_K_M", "Q6_K")
                .flatMap(t -> Stream.of("seq8", "seq48").map(s -> Arguments.of(v, t, s))));
    }

    static Stream<Arguments> models() {
        return DENSE_VARIANTS.stream().flatMap(v -> Stream.of("Q4_0", "Q4_K_M", "Q6_K").map(t -> Arguments.of(v, t)));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("sequences")
    void batchAndTokenByToken_matchLlamaCpp(String variant, String type, String seq) throws Exception {
        int[] tokens = sequence(variant, seq);
        float[] expected = f32(variant, type + target(type) + ".logits." + seq + ".f32");
        try (LanguageModel model = ModelLoader.load(model(variant, type))) {
            int vocab = model.config().vocab();
            float[] batched = new float[tokens.length * vocab];
            model.forward(Batch.ofSequence(tokens, 0, true), model.newCache(1, tokens.length, KvCacheType.F32), batched);
            KvCache cache = model.newCache(1, tokens.length, KvCacheType.F32);
            float[] sequential = new float[tokens.length * vocab], step = new float[vocab];
            for (int p = 0; p < tokens.length; p++) {
                model.forward(Batch.ofSequence(new int[] {tokens[p]}, p, true), cache, step);
                System.arraycopy(step, 0, sequential, p * vocab, vocab);
            }
            float batchDiff = maxAbsDiff(batched, expected, batched.length), seqDiff = maxAbsDiff(sequential, expected, sequential.length);
            assertThat(batchDiff).as("batch vs llama.cpp").isLessThanOrEqualTo(TOLERANCE);
            assertThat(seqDiff).as("token by token vs llama.cpp").isLessThanOrEqualTo(TOLERANCE);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("models")
    void greedy_promptThen24Steps_matchesLlamaCppIds(String variant, String type) throws Exception {
        JsonNode manifest = manifest(variant);
        int[] prompt = ints(manifest.path("greedy").path("prompt_ids"), "greedy.prompt_ids");
        JsonNode math = target(type).isEmpty() ? manifest.path("types").path(type)
                : manifest.path("types").path(type).path("dequantized_f32_math");
        int[] expected = ints(math.path("greedy_ids"), "greedy_ids of " + type);
        float[] margins = floats(math.path("greedy_top1_minus_top2_margins"), "greedy_top1_minus_top2_margins");
        try (LanguageModel model = ModelLoader.load(model(variant, type))) {
            int[] got = greedyIds(model, model.newCache(1, prompt.length + expected.length, KvCacheType.F32), prompt, expected.length);
            int first = firstMismatch(got, expected);
            if (first >= 0) {
                assertThat(margins[first])
                        .as("greedy ids %s differ from llama.cpp's %s at step %d, where its top-2 margin is not within the tolerance",
                                Arrays.toString(got), Arrays.toString(expected), first)
                        .isLessThan(2 * TOLERANCE);
            }
        }
    }
}
