package r1j.gguf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * llama.cpp's vocabulary-only GGUF files (test resources, gzipped): real-world files without tensors whose
 * metadata holds up to 100k-entry string and integer arrays.
 */
class GgufVocabFileTest {
    @TempDir
    Path dir;

    private Path unpack(String name) throws IOException {
        String resource = "/tokenizer/vocab/ggml-vocab-" + name + ".gguf.gz";
        try (InputStream raw = GgufVocabFileTest.class.getResourceAsStream(resource)) {
            assertThat(raw).as("test resource %s", resource).isNotNull();
            Path file = dir.resolve(name + ".gguf");
            try (InputStream in = new GZIPInputStream(raw)) {
                Files.copy(in, file);
            }
            return file;
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "deepseek-coder, llama, gpt2, deepseek-coder",
            "deepseek-llm,   llama, gpt2, deepseek-llm",
            "llama-spm,      llama, llama, default",
    })
    void open_vocabOnlyFile_tokenArraysMatchDeclaredVocabSize(String name, String arch, String model, String pre)
            throws IOException {
        try (GgufFile gguf = GgufFile.open(unpack(name))) {
            GgufMetadata md = gguf.metadata();
            assertThat(gguf.tensors()).isEmpty();
            assertThat(md.getString("general.architecture")).isEqualTo(arch);
            assertThat(md.getString("tokenizer.ggml.model")).isEqualTo(model);
            assertThat(md.getString("tokenizer.ggml.pre")).isEqualTo(pre);
            int vocab = md.getInt(arch + ".vocab_size");
            assertThat(md.getStringArray("tokenizer.ggml.tokens")).hasSize(vocab);
            assertThat(md.getIntArray("tokenizer.ggml.token_type")).hasSize(vocab);
            assertThat(md.getInt("tokenizer.ggml.bos_token_id")).isBetween(0, vocab - 1);
        }
    }

    @Test
    void rewrite_vocabOnlyFile_isByteIdenticalToLlamaCppOutput() throws IOException {
        Path original = unpack("deepseek-coder");
        Path copy = dir.resolve("copy.gguf");
        try (GgufFile in = GgufFile.open(original)) {
            new GgufWriter().putAll(in.metadata()).write(copy);
        }
        assertThat(Files.readAllBytes(copy)).isEqualTo(Files.readAllBytes(original));
    }

    @Test
    void open_llamaSpmVocab_hasSentencePieceSpecialsAndScores() throws IOException {
        try (GgufFile gguf = GgufFile.open(unpack("llama-spm"))) {
            GgufMetadata md = gguf.metadata();
            assertThat(md.getStringArray("tokenizer.ggml.tokens")).startsWith("<unk>", "<s>", "</s>", "<0x00>");
            assertThat(md.getFloatArray("tokenizer.ggml.scores")).hasSize(32000);
            assertThat(md.getInt("tokenizer.ggml.bos_token_id")).isEqualTo(1);
            assertThat(md.getInt("tokenizer.ggml.eos_token_id")).isEqualTo(2);
            assertThat(md.typeOf("tokenizer.ggml.add_bos_token")).isEqualTo(GgufValueType.BOOL);
        }
    }

    @Test
    void open_gpt2Vocab_has50257TokensAndMerges() throws IOException {
        try (GgufFile gguf = GgufFile.open(unpack("gpt-2"))) {
            GgufMetadata md = gguf.metadata();
            assertThat(md.getStringArray("tokenizer.ggml.tokens")).hasSize(50257).endsWith("<|endoftext|>");
            assertThat(md.getStringArray("tokenizer.ggml.merges")).hasSize(50000).startsWith("Ġ t");
            assertThat(md.getInt("tokenizer.ggml.eos_token_id")).isEqualTo(50256);
        }
    }
}
