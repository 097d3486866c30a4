package r1j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static r1j.model.GoldenModels.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceTest {

    @Test
    void trace_namesEveryIntermediateByLayerWithItsShape() throws Exception {
        int[] tokens = sequence("qwen2-tiny", "seq8");
        try (LanguageModel model = ModelLoader.load(model("qwen2-tiny", "Q8_0"))) {
            ModelConfig c = (ModelConfig) model.config();
            List<String> seen = new ArrayList<>();
            model.setTrace((name, layer, data, rows, cols) -> {
                seen.add(name + "@" + layer + ":" + rows + "x" + cols);
                assertThat(data.length).isGreaterThanOrEqualTo(rows * cols);
            });
            float[] logits = new float[c.vocab()];
            model.forward(Batch.ofSequence(tokens, 0, false), model.newCache(1, 8), logits);

            int n = tokens.length;
            List<String> expected = new ArrayList<>(List.of("inp_embd@-1:" + n + "x" + c.dim()));
            for (int l = 0; l < c.layers(); l++) {
                int ffnRows = l == c.layers() - 1 ? 1 : n; // the last FFN runs only on the row whose logits are wanted
                expected.addAll(List.of("attn_norm@%d:%dx%d".formatted(l, n, c.dim()), "Qcur@%d:%dx%d".formatted(l, n, c.qDim()),
                        "Kcur@%d:%dx%d".formatted(l, n, c.kvDim()), "Vcur@%d:%dx%d".formatted(l, n, c.kvDim()),
                        "kqv_out@%d:%dx%d".formatted(l, n, c.qDim()), "ffn_inp@%d:%dx%d".formatted(l, ffnRows, c.dim()),
                        "ffn_norm@%d:%dx%d".formatted(l, ffnRows, c.dim()), "ffn_out@%d:%dx%d".formatted(l, ffnRows, c.dim()),
                        "l_out@%d:%dx%d".formatted(l, ffnRows, c.dim())));
            }
            expected.add("result_norm@-1:1x" + c.dim());
            assertThat(seen).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void trace_removedAgainLeavesLogitsUnchanged() throws Exception {
        int[] tokens = sequence("llama-tiny", "seq8");
        try (LanguageModel model = ModelLoader.load(model("llama-tiny", "F16"))) {
            int vocab = model.config().vocab();
            float[] traced = new float[tokens.length * vocab], plain = new float[tokens.length * vocab];
            int[] calls = {0};
            model.setTrace((name, layer, data, rows, cols) -> calls[0]++);
            model.forward(Batch.ofSequence(tokens, 0, true), model.newCache(1, 8), traced);
            model.setTrace(null);
            int before = calls[0];
            model.forward(Batch.ofSequence(tokens, 0, true), model.newCache(1, 8), plain);
            assertThat(before).isPositive();
            assertThat(calls[0]).isEqualTo(before);
            // Not bitwise: the Vector API may sum in another order once the JIT compiles the kernels.
            assertThat(maxAbsDiff(traced, plain, plain.length)).isLessThanOrEqualTo(ContinuousBatchingTest.SAME_MATH);
        }
    }
}
