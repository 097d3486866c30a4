package r1j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static r1j.model.GoldenModels.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import r1j.gguf.GgufFile;
import r1j.tensor.GgmlType;
import r1j.tensor.VectorMath;
import r1j.tensor.WeightMatrix;

class ModelLoaderTest {

    @TempDir
    Path dir;

    @Test
    void load_readsHyperParametersFromMetadata() throws Exception {
        for (String variant : DENSE_VARIANTS) {
            JsonNode hp = manifest(variant).path("hparams");
            try (LanguageModel model = ModelLoader.load(model(variant, "Q8_0"))) {
                ModelConfig c = (ModelConfig) model.config();
                assertThat(c.architecture()).isEqualTo(hp.path("arch").asText());
                assertThat(c.dim()).isEqualTo(hp.path("n_embd").asInt());
                assertThat(c.layers()).isEqualTo(hp.path("n_layer").asInt());
                assertThat(c.heads()).isEqualTo(hp.path("n_head").asInt());
                assertThat(c.kvHeads()).isEqualTo(hp.path("n_head_kv").asInt());
                assertThat(c.hiddenDim()).isEqualTo(hp.path("n_ff").asInt());
                assertThat(c.headSize()).isEqualTo(hp.path("head_dim").asInt());
                assertThat(c.vocab()).isEqualTo(hp.path("n_vocab").asInt());
                assertThat(c.ropeTheta()).isEqualTo((float) hp.path("rope_theta").asDouble());
                assertThat(c.rmsEps()).isEqualTo((float) hp.path("rms_eps").asDouble());
                assertThat(c.ropeNeox()).isEqualTo(variant.startsWith("qwen2"));
                assertThat(c.contextLength()).isEqualTo(4096);
            }
        }
    }

    @Test
    void close_twiceIsHarmless() throws Exception {
        LanguageModel model = ModelLoader.load(model("qwen2-tiny", "Q4_0"));
        model.close();
        assertThatCode(model::close).doesNotThrowAnyException();
    }

    @Test
    void load_unknownArchitectureNamesItAndTheSupportedOnes() throws Exception {
        Path file = GgufRewriter.rewrite(model("llama-tiny", "Q4_0"), dir.resolve("g.gguf"), n -> true, false,
                w -> w.putString("general.architecture", "gemma3"));
        assertThatThrownBy(() -> ModelLoader.load(file))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessage("GGUF architecture 'gemma3' is not supported; supported: llama, qwen2, qwen3, qwen3moe, deepseek2");
    }

    @Test
    void load_missingKeysAreAllNamed() throws Exception {
        Path file = GgufRewriter.rewrite(model("llama-tiny", "Q4_0"), dir.resolve("k.gguf"), n -> true, false,
                w -> w.remove("llama.embedding_length").remove("llama.context_length"));
        assertThatThrownBy(() -> ModelLoader.load(file))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("llama.embedding_length")
                .hasMessageContaining("llama.context_length");
    }

    @Test
    void load_missingTensorsAreNamed() throws Exception {
        Path file = GgufRewriter.rewrite(model("qwen2-tiny", "Q4_0"), dir.resolve("t.gguf"),
                n -> !n.equals("blk.1.ffn_up.weight") && !n.equals("blk.0.attn_k.bias"), false, w -> {});
        assertThatThrownBy(() -> ModelLoader.load(file))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("missing tensor blk.0.attn_k.bias")
                .hasMessageContaining("missing tensor blk.1.ffn_up.weight");
    }

    @Test
    void load_tensorThatTheArchitectureDoesNotUseIsReported() throws Exception {
        Path file = GgufRewriter.rewrite(model("llama-tiny", "Q4_0"), dir.resolve("x.gguf"), n -> true, false,
                w -> w.addTensor("blk.0.attn_output.bias", GgmlType.F32, new long[] {256}, new byte[256 * 4]));
        assertThatThrownBy(() -> ModelLoader.load(file))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("blk.0.attn_output.bias is not used by architecture llama");
    }

    @Test
    void load_qwen3WithQkvBiases_reportsThemAsUnused() throws Exception {
        // qwen2-tiny relabelled qwen3, with the per-head norms qwen3 needs: its biases are not part of qwen3 (llama.cpp
        // rejects such a file too), so they must fail the load rather than be applied or silently ignored
        Path source = model("qwen2-tiny", "Q8_0");
        int headSize = manifest("qwen2-tiny").path("hparams").path("head_dim").asInt();
        Path file;
        try (GgufFile in = GgufFile.open(source)) {
            file = GgufRewriter.rewrite(source, dir.resolve("q3.gguf"), n -> true, false, w -> {
                for (String key : in.metadata().keys()) {
                    if (key.startsWith("qwen2.")) w.put("qwen3." + key.substring(6), in.metadata().typeOf(key), in.metadata().get(key));
                }
                w.putString("general.architecture", "qwen3");
                int layers = in.metadata().getInt("qwen2.block_count");
                for (int l = 0; l < layers; l++) {
                    w.addTensor("blk." + l + ".attn_q_norm.weight", GgmlType.F32, new long[] {headSize}, GgufRewriter.f32Bytes(filled(headSize, 1f)));
                    w.addTensor("blk." + l + ".attn_k_norm.weight", GgmlType.F32, new long[] {headSize}, GgufRewriter.f32Bytes(filled(headSize, 1f)));
                }
            });
        }
        assertThatThrownBy(() -> ModelLoader.load(file))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("tensor blk.0.attn_q.bias is not used by architecture qwen3")
                .hasMessageContaining("tensor blk.0.attn_v.bias is not used by architecture qwen3");
    }

    @Test
    void load_wronglyShapedTensorNamesDimsAndExpectation() throws Exception {
        Path file = GgufRewriter.rewrite(model("llama-tiny", "F16"), dir.resolve("s.gguf"), n -> true, false,
                w -> w.putUint32("llama.feed_forward_length", 512));
        assertThatThrownBy(() -> ModelLoader.load(file))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("blk.0.ffn_gate.weight has dims [256, 768], expected [256, 512]");
    }

    @Test
    void load_inconsistentHeadCountsAreReportedAsALoadError() throws Exception {
        Path file = GgufRewriter.rewrite(model("llama-tiny", "Q4_0"), dir.resolve("h.gguf"), n -> true, false,
                w -> w.putUint32("llama.attention.head_count_kv", 3));
        assertThatThrownBy(() -> ModelLoader.load(file))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("head_count 4 is not a multiple of head_count_kv 3");
    }

    @Test
    void load_keyOfTheWrongTypeIsReportedAsALoadError() throws Exception {
        Path file = GgufRewriter.rewrite(model("llama-tiny", "Q4_0"), dir.resolve("w.gguf"), n -> true, false,
                w -> w.putString("llama.block_count", "two"));
        assertThatThrownBy(() -> ModelLoader.load(file))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("llama.block_count");
    }

    @Test
    void load_unsupportedRopeScalingIsNamed() throws Exception {
        Path file = GgufRewriter.rewrite(model("llama-tiny", "Q4_0"), dir.resolve("r.gguf"), n -> true, false,
                w -> w.putString("llama.rope.scaling.type", "longrope").putFloat32("llama.rope.scaling.factor", 4f));
        assertThatThrownBy(() -> ModelLoader.load(file))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("longrope");
    }

    @Test
    void load_withoutOutputWeight_tiesTheHeadToTheTokenEmbedding() throws Exception {
        Path file = GgufRewriter.rewrite(model("llama-tiny", "Q8_0"), dir.resolve("tied.gguf"),
                n -> !n.equals("output.weight"), false, w -> {});
        int[] tokens = sequence("llama-tiny", "seq8");
        try (LanguageModel model = ModelLoader.load(file); GgufFile gguf = GgufFile.open(file)) {
            int vocab = model.config().vocab(), dim = model.config().dim();
            float[] norm = new float[dim];
            model.setTrace((name, layer, data, rows, cols) -> {
                if (name.equals("result_norm")) System.arraycopy(data, 0, norm, 0, dim);
            });
            float[] logits = new float[vocab];
            model.forward(Batch.ofSequence(tokens, 0, false), model.newCache(1, 8), logits);
            // logit v = token_embd[v] . result_norm, computed here row by row from the file
            WeightMatrix embd = gguf.matrix("token_embd.weight");
            float[] row = new float[dim];
            for (int v = 0; v < vocab; v++) {
                embd.dequantizeRow(v, row, 0);
                assertThat(logits[v]).isCloseTo(VectorMath.dotReference(row, 0, norm, 0, dim), within(1e-4f));
            }
        }
    }

    @Test
    void load_ropeFreqsOfTwoActLikeLinearScalingByTwo() throws Exception {
        Path factors = GgufRewriter.rewrite(model("llama-tiny", "Q4_K_M"), dir.resolve("f.gguf"), n -> true, false,
                w -> w.addTensor("rope_freqs.weight", GgmlType.F32, new long[] {32},
                        GgufRewriter.f32Bytes(filled(32, 2f))));
        Path linear = GgufRewriter.rewrite(model("llama-tiny", "Q4_K_M"), dir.resolve("l.gguf"), n -> true, false,
                w -> w.putString("llama.rope.scaling.type", "linear").putFloat32("llama.rope.scaling.factor", 2f));
        int[] tokens = sequence("llama-tiny", "seq48");
        float[] a = logits(factors, tokens), b = logits(linear, tokens), plain = logits(model("llama-tiny", "Q4_K_M"), tokens);
        assertThat(maxAbsDiff(a, b, a.length)).isLessThanOrEqualTo(1e-5f);
        assertThat(maxAbsDiff(a, plain, a.length)).isGreaterThan(1e-2f);
    }

    /**
     * An F32 cache: the Vector API sums lanes in one order when interpreted and in another once compiled, so two runs
     * of one model can differ in the last bits, and an F16 cache would round such a difference up to ~1e-4.
     */
    private static float[] logits(Path file, int[] tokens) throws Exception {
        try (LanguageModel model = ModelLoader.load(file)) {
            float[] out = new float[tokens.length * model.config().vocab()];
            model.forward(Batch.ofSequence(tokens, 0, true), model.newCache(1, tokens.length, KvCacheType.F32), out);
            return out;
        }
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
