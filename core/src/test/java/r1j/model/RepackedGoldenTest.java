package r1j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static r1j.model.GoldenModels.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import r1j.gguf.GgufFile;
import r1j.gguf.GgufTensorInfo;
import r1j.gguf.GgufWriter;
import r1j.tensor.ComputePool;
import r1j.tensor.Interleaved6Matrix;
import r1j.tensor.Q6_KMatrix;

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

    /**
     * A tied model (no {@code output.weight}; Llama 3.2 1B is one): the output head — a whole matrix read every decode
     * step — is repacked like the projections, while the embedding table it shares stays on the file, read by row.
     * Before, the head stayed on the file's layout and took 40 % of a Llama-3.2-1B-shape Q4_0 decode step.
     */
    @Test
    void tiedOutputHead_isRepacked_andKeepsTheLogitsOfTheFileLayout(@TempDir Path dir) throws Exception {
        // llama-tiny Q4_0 with its Q6_K output matrix as the (tied) embedding table
        Path tied = dir.resolve("tied.gguf");
        try (GgufFile in = GgufFile.open(model("llama-tiny", "Q4_0"))) {
            GgufWriter out = new GgufWriter().putAll(in.metadata());
            GgufTensorInfo head = in.tensor("output.weight");
            for (GgufTensorInfo t : in.tensors()) {
                if (t.name().equals("output.weight")) continue;
                GgufTensorInfo src = t.name().equals("token_embd.weight") ? head : t;
                out.addTensor(t.name(), src.type(), src.dims(), in.data(src));
            }
            out.write(tied);
        }
        try (GgufFile file = GgufFile.open(tied)) {
            ModelConfig config = GgufModelConfig.read(file, "llama", DenseVariant.LLAMA);
            DenseWeights weights = DenseWeights.load(file, config, DenseVariant.LLAMA, true);
            assertThat(weights.tokenEmbd()).isInstanceOf(Q6_KMatrix.class);
            // the repacked layout needs vectors of 8 floats or more (forced 128-bit runs keep the file's layout)
            assertThat(weights.output()).isInstanceOf(Interleaved6Matrix.canRepack(weights.tokenEmbd()) ? Interleaved6Matrix.class : Q6_KMatrix.class);
        }
        int[] tokens = sequence("llama-tiny", "seq8");
        float[][] logits = new float[2][];
        try (ComputePool pool = new ComputePool(2)) {
            for (int repack = 0; repack < 2; repack++) {
                try (LanguageModel model = ModelLoader.load(tied, pool, repack == 1)) {
                    logits[repack] = new float[tokens.length * model.config().vocab()];
                    model.forward(Batch.ofSequence(tokens, 0, true), model.newCache(1, tokens.length, KvCacheType.F32), logits[repack]);
                }
            }
        }
        assertThat(maxAbsDiff(logits[1], logits[0], logits[0].length)).as("repacked vs file layout").isLessThanOrEqualTo(TOLERANCE);
    }
}
