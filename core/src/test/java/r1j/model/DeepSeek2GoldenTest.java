package r1j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static r1j.model.GoldenModels.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import r1j.gguf.GgufFile;
import r1j.tensor.GgmlType;
import r1j.tensor.WeightMatrix;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code deepseek2} (MLA with the latent cache, DeepSeekMoE) against llama.cpp's goldens: F32 activations on
 * dequantized weights, so the target is llama.cpp's run of the dequantized weights ({@code <TYPE>.deq.*}), within
 * the golden README's 1e-3, with llama.cpp's recorded expert choices (routing margins there are >= 1e-4).
 */
class DeepSeek2GoldenTest {

    static final float TOLERANCE = 1e-3f;
    static final float BATCH_VS_SEQUENTIAL = 1e-4f;

    @TempDir
    Path dir;

    static final List<String[]> MODELS = List.of(
            new String[] {"deepseek2-v3", "Q8_0"}, new String[] {"deepseek2-v3", "Q4_0"}, new String[] {"deepseek2-v3", "Q4_K_M"},
            new String[] {"deepseek2-lite", "F16"}, new String[] {"deepseek2-lite", "Q8_0"}, new String[] {"deepseek2-lite", "Q4_0"});

    static Stream<Arguments> sequences() {
        List<Arguments> out = new ArrayList<>();
        for (String[] m : MODELS) for (String s : List.of("seq8", "seq48")) out.add(Arguments.of(m[0], m[1], s));
        return out.stream();
    }

    static Stream<Arguments> models() {
        return MODELS.stream().map(m -> Arguments.of(m[0], m[1]));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("sequences")
    void forward_wholeSequenceInOneBatch_matchesLlamaCppDequantizedLogits(String variant, String type, String seq) throws Exception {
        int[] tokens = sequence(variant, seq);
        float[] expected = f32(variant, type + ".deq.logits." + seq + ".f32");
        try (LanguageModel model = ModelLoader.load(model(variant, type))) {
            assertThat(model).isInstanceOf(DeepSeek2.class);
            int vocab = model.config().vocab();
            assertThat(expected).hasSize(tokens.length * vocab);
            float[] logits = new float[tokens.length * vocab];
            model.forward(Batch.ofSequence(tokens, 0, true), model.newCache(1, 64), logits);
            assertThat(maxAbsDiff(logits, expected, logits.length)).isLessThanOrEqualTo(TOLERANCE);
        }
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("sequences")
    void forward_tokenByTokenThroughLatentCache_matchesLlamaCppRoutingAndLogits(String variant, String type, String seq) throws Exception {
        int[] tokens = sequence(variant, seq);
        float[] expected = f32(variant, type + ".deq.logits." + seq + ".f32");
        JsonNode routing = manifest(variant).path("types").path(type).path("dequantized_f32_math").path("moe_routing").path(seq + ".batch");
        assertThat(routing.isObject()).as("manifest routing of %s %s", type, seq).isTrue();
        int lastLayer = manifest(variant).path("hparams").path("n_layer").asInt() - 1;
        JsonNode lastRouting = routing.path(Integer.toString(lastLayer)).path("experts");
        try (DeepSeek2 model = (DeepSeek2) ModelLoader.load(model(variant, type))) {
            int vocab = model.config().vocab();
            float[] batched = new float[tokens.length * vocab];
            model.forward(Batch.ofSequence(tokens, 0, true), model.newCache(1, tokens.length), batched);

            KvCache cache = model.newCache(1, tokens.length);
            float[] sequential = new float[tokens.length * vocab];
            float[] step = new float[vocab];
            for (int p = 0; p < tokens.length; p++) {
                model.forward(Batch.ofSequence(new int[] {tokens[p]}, p, true), cache, step);
                System.arraycopy(step, 0, sequential, p * vocab, vocab);
                int[] expectedExperts = ints(lastRouting.get(p), "experts of row " + p);
                assertThat(model.lastRouting(0)).as("last layer's experts at position %d", p).containsExactly(expectedExperts);
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
        try (LanguageModel model = ModelLoader.load(model(variant, type))) {
            int[] got = greedyIds(model, model.newCache(1, prompt.length + expected.length), prompt, expected.length);
            int first = firstMismatch(got, expected);
            if (first >= 0) {
                assertThat(margins[first])
                        .as("greedy ids %s differ from %s at step %d, where llama.cpp's top-2 margin is not a near-tie",
                                Arrays.toString(got), Arrays.toString(expected), first)
                        .isLessThan(TOLERANCE);
            }
        }
    }

    /**
     * Files converted since llama.cpp's MLA support split {@code attn_kv_b} into {@code attn_k_b} (W^UK per head,
     * transposed) and {@code attn_v_b}, and move the per-head widths to {@code key_length_mla}/{@code value_length_mla}.
     * The golden weights rewritten that way (F32, exact) give llama.cpp's logits.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"deepseek2-v3, Q8_0", "deepseek2-lite, F16"})
    void forward_splitKvBLayoutOfNewerConversions_matchesLlamaCppDequantizedLogits(String variant, String type) throws Exception {
        Path split = dir.resolve("split.gguf");
        try (GgufFile in = GgufFile.open(model(variant, type))) {
            var md = in.metadata();
            int heads = md.getInt("deepseek2.attention.head_count"), r = md.getInt("deepseek2.attention.kv_lora_rank");
            int rope = md.getInt("deepseek2.rope.dimension_count"), key = md.getInt("deepseek2.attention.key_length");
            int nope = key - rope, vd = md.getInt("deepseek2.attention.value_length");
            int layers = md.getInt("deepseek2.block_count");
            GgufRewriter.rewrite(model(variant, type), split, name -> !name.endsWith("attn_kv_b.weight"), false, w -> {
                w.putUint32("deepseek2.attention.key_length", r + rope).putUint32("deepseek2.attention.value_length", r)
                        .putUint32("deepseek2.attention.key_length_mla", key).putUint32("deepseek2.attention.value_length_mla", vd);
                for (int l = 0; l < layers; l++) {
                    WeightMatrix kvB = in.matrix("blk." + l + ".attn_kv_b.weight");
                    float[] kB = new float[heads * r * nope], vB = new float[heads * vd * r], row = new float[r];
                    for (int h = 0; h < heads; h++) {
                        for (int j = 0; j < nope + vd; j++) {
                            kvB.dequantizeRow(h * (nope + vd) + j, row, 0);
                            for (int c = 0; c < r; c++) {
                                if (j < nope) kB[(h * r + c) * nope + j] = row[c];
                                else vB[(h * vd + j - nope) * r + c] = row[c];
                            }
                        }
                    }
                    w.addTensor("blk." + l + ".attn_k_b.weight", GgmlType.F32, new long[] {nope, r, heads}, GgufRewriter.f32Bytes(kB));
                    w.addTensor("blk." + l + ".attn_v_b.weight", GgmlType.F32, new long[] {r, vd, heads}, GgufRewriter.f32Bytes(vB));
                }
            });
        }
        int[] tokens = sequence(variant, "seq48");
        float[] expected = f32(variant, type + ".deq.logits.seq48.f32");
        try (LanguageModel model = ModelLoader.load(split)) {
            assertThat(((DeepSeek2) model).weights().layers().get(0).attnKvB()).isNull();
            float[] logits = new float[tokens.length * model.config().vocab()];
            model.forward(Batch.ofSequence(tokens, 0, true), model.newCache(1, tokens.length), logits);
            assertThat(maxAbsDiff(logits, expected, logits.length)).isLessThanOrEqualTo(TOLERANCE);
        }
    }
}
