package r1j.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import r1j.gguf.GgufFile;
import r1j.gguf.GgufWriter;
import r1j.model.GoldenModels;
import r1j.tensor.GgmlType;

class WeightTrafficTest {

    @TempDir
    Path dir;

    /**
     * Expected sizes come from the golden manifest (llama.cpp's per-tensor types and model hyper-parameters), not
     * from the file's tensor table that {@link WeightTraffic} reads.
     */
    @ParameterizedTest
    @CsvSource({"llama-tiny, Q8_0", "llama-tiny, Q4_K_M", "qwen2-tiny, Q4_0", "qwen2-tiny, F16"})
    void of_untiedModel_readsEveryTensorButOnlyOneEmbeddingRow(String variant, String type) throws Exception {
        JsonNode manifest = GoldenModels.manifest(variant);
        JsonNode hp = manifest.path("hparams");
        int dim = hp.path("n_embd").asInt(), ff = hp.path("n_ff").asInt(), vocab = manifest.path("n_vocab").asInt();
        int q = hp.path("n_head").asInt() * hp.path("head_dim").asInt(), kv = hp.path("n_head_kv").asInt() * hp.path("head_dim").asInt();
        Map<String, long[]> shapes = Map.ofEntries(
                Map.entry("token_embd.weight", new long[] {dim, vocab}), Map.entry("output.weight", new long[] {dim, vocab}),
                Map.entry("output_norm.weight", new long[] {dim}), Map.entry("attn_norm.weight", new long[] {dim}),
                Map.entry("ffn_norm.weight", new long[] {dim}), Map.entry("attn_q.weight", new long[] {dim, q}),
                Map.entry("attn_k.weight", new long[] {dim, kv}), Map.entry("attn_v.weight", new long[] {dim, kv}),
                Map.entry("attn_q.bias", new long[] {q}), Map.entry("attn_k.bias", new long[] {kv}),
                Map.entry("attn_v.bias", new long[] {kv}), Map.entry("attn_output.weight", new long[] {q, dim}),
                Map.entry("ffn_gate.weight", new long[] {dim, ff}), Map.entry("ffn_up.weight", new long[] {dim, ff}),
                Map.entry("ffn_down.weight", new long[] {ff, dim}));
        long total = 0, params = 0, embdRow = 0, embd = 0;
        JsonNode types = manifest.path("types").path(type).path("tensor_types");
        for (Iterator<Map.Entry<String, JsonNode>> it = types.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            long[] shape = shapes.get(e.getKey().replaceFirst("^blk\\.\\d+\\.", ""));
            assertThat(shape).as(e.getKey()).isNotNull();
            GgmlType t = GgmlType.valueOf(e.getValue().asText());
            long elements = shape.length == 1 ? shape[0] : shape[0] * shape[1];
            total += t.bytesFor(elements);
            params += elements;
            if (e.getKey().equals("token_embd.weight")) {
                embd = t.bytesFor(elements);
                embdRow = t.bytesFor(dim);
            }
        }

        WeightTraffic traffic;
        try (GgufFile file = GgufFile.open(GoldenModels.model(variant, type))) {
            traffic = WeightTraffic.of(file);
        }

        assertThat(traffic.weightBytes()).isEqualTo(total);
        assertThat(traffic.parameters()).isEqualTo(params);
        assertThat(traffic.bytesPerToken()).isEqualTo(total - embd + embdRow);
        assertThat(traffic.typeCounts().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(types.size());
    }

    @Test
    void of_tiedModel_readsTheWholeEmbeddingAsTheOutputHeadPlusTheLookedUpRow() throws Exception {
        // [vocab 64][dim 32] embedding in Q8_0 (34 bytes per 32 values) and one F32 norm; no output.weight.
        Path path = dir.resolve("tied.gguf");
        new GgufWriter().putString("general.architecture", "llama")
                .addZeroTensor("token_embd.weight", GgmlType.Q8_0, new long[] {32, 64})
                .addZeroTensor("output_norm.weight", GgmlType.F32, new long[] {32})
                .write(path);
        try (GgufFile file = GgufFile.open(path)) {
            WeightTraffic traffic = WeightTraffic.of(file);
            assertThat(traffic.weightBytes()).isEqualTo(64 * 34 + 32 * 4);
            assertThat(traffic.bytesPerToken()).isEqualTo(64 * 34 + 32 * 4 + 34);
            assertThat(traffic.typeMix()).isEqualTo("F32 1, Q8_0 1");
            assertThat(traffic.gigabytesPerSecond(1e6)).isEqualTo((64 * 34 + 32 * 4 + 34) / 1e3);
        }
    }

    @Test
    void of_mixtureOfExperts_countsOnlyTheRoutedShareOfStackedExperts() throws Exception {
        // 8 experts of [16][32] F32 per stacked tensor, 2 used: a token reads 2/8 of each *_exps tensor
        Path path = dir.resolve("moe.gguf");
        new GgufWriter().putString("general.architecture", "deepseek2")
                .putUint32("deepseek2.expert_count", 8).putUint32("deepseek2.expert_used_count", 2)
                .addZeroTensor("token_embd.weight", GgmlType.F32, new long[] {32, 10})
                .addZeroTensor("output.weight", GgmlType.F32, new long[] {32, 10})
                .addZeroTensor("blk.0.ffn_up_exps.weight", GgmlType.F32, new long[] {32, 16, 8})
                .addZeroTensor("blk.0.ffn_down_exps.weight", GgmlType.F32, new long[] {16, 32, 8})
                .write(path);
        try (GgufFile file = GgufFile.open(path)) {
            WeightTraffic traffic = WeightTraffic.of(file);
            long experts = 2L * 8 * 16 * 32 * 4;
            assertThat(traffic.weightBytes()).isEqualTo(2 * 320 * 4 + experts);
            assertThat(traffic.bytesPerToken()).isEqualTo(32 * 4 + 320 * 4 + experts / 4);
        }
    }
}
