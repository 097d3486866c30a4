package r1j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static r1j.model.GoldenModels.*;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import r1j.tensor.GgmlType;

/**
 * The F32 weight path: no F32 model ships in the resources, so the test dequantizes the F16 model to an all-F32 GGUF
 * (what llama.cpp's {@code .deq} reference did) and expects llama.cpp's F16 dequantized-F32 logits.
 */
class F32ModelTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"qwen2-tiny", "llama-tiny"})
    void forward_allF32Model_matchesLlamaCppF16DequantizedLogits(String variant) throws Exception {
        Path f32 = GgufRewriter.rewrite(model(variant, "F16"), dir.resolve("F32.gguf"), name -> true, true, w -> {});
        int[] tokens = sequence(variant, "seq48");
        float[] expected = f32(variant, "F16.deq.logits.seq48.f32");
        try (LanguageModel model = ModelLoader.load(f32)) {
            assertThat(((DenseTransformer) model).weights().layers().get(0).attnQ().type()).isEqualTo(GgmlType.F32);
            float[] logits = new float[tokens.length * model.config().vocab()];
            model.forward(Batch.ofSequence(tokens, 0, true), model.newCache(1, tokens.length), logits);
            assertThat(maxAbsDiff(logits, expected, logits.length)).isLessThanOrEqualTo(DenseGoldenTest.TOLERANCE);
        }
    }
}
