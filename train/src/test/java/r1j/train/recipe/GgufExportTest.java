package r1j.train.recipe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import r1j.gguf.GgufFile;
import r1j.train.data.TinyVocab;
import r1j.train.nn.Params;
import r1j.train.nn.TinyConfig;

class GgufExportTest {
    private final TinyVocab vocab = new TinyVocab();

    @Test
    void export_writesStandardLlamaKeysAndReadsBackTheSameWeights(@TempDir Path dir) throws Exception {
        TinyConfig c = new TinyConfig(16, 48, 2, 4, 2, vocab.size(), 64, 1e-5f, 10000f);
        Params p = Params.init(c, new SplittableRandom(1));
        Path file = dir.resolve("m.gguf");
        GgufExport.write(p, vocab, "tiny-r1", "test", file);
        try (GgufFile f = GgufFile.open(file)) {
            var m = f.metadata();
            assertThat(m.getString("general.architecture")).isEqualTo("llama");
            assertThat(m.getString("tokenizer.ggml.pre")).isEqualTo("deepseek-r1-qwen");
            assertThat(m.getStringArray("tokenizer.ggml.tokens")).hasSize(vocab.size());
            assertThat(m.getString("tokenizer.chat_template")).contains("<｜Assistant｜><think>\\n");
            assertThat(f.tensor("blk.1.attn_k.weight").dims()).containsExactly(16, 8);
            assertThat(f.tensor("token_embd.weight").dims()).containsExactly(16, vocab.size());
        }
        Params back = GgufExport.read(file);
        assertThat(back.tensors().keySet()).containsExactlyElementsOf(p.tensors().keySet());
        p.tensors().forEach((name, v) -> assertThat(back.get(name).value()).as(name).containsExactly(v.value()));
    }
}
