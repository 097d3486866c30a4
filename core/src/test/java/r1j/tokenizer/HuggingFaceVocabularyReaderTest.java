package r1j.tokenizer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A Hugging Face directory with a tokenizer_config.json shaped like DeepSeek-R1-Distill-Qwen's (added tokens after
 * Qwen2's 151643 BPE tokens; BOS/EOS as objects). Token types follow llama.cpp's convert_hf_to_gguf.py rules.
 */
class HuggingFaceVocabularyReaderTest {
    private static final String CONFIG = """
            {
              "add_bos_token": true,
              "add_eos_token": false,
              "bos_token": {"content": "<｜begin▁of▁sentence｜>", "special": true},
              "eos_token": {"content": "<｜end▁of▁sentence｜>", "special": true},
              "added_tokens_decoder": {
                "151643": {"content": "<｜end▁of▁sentence｜>", "special": true},
                "151644": {"content": "<｜User｜>", "special": false},
                "151645": {"content": "<｜Assistant｜>", "special": false},
                "151646": {"content": "<｜begin▁of▁sentence｜>", "special": true},
                "151648": {"content": "<think>", "special": false},
                "151649": {"content": "</think>", "special": false}
              }
            }
            """;

    @TempDir
    static Path dir;
    static Tokenizer tokenizer;

    @BeforeAll
    static void load() throws IOException {
        TestResources.qwen2Directory(dir);
        Files.writeString(dir.resolve("tokenizer_config.json"), CONFIG);
        tokenizer = Tokenizer.load(dir, "deepseek-r1-qwen");
    }

    @Test
    void addedTokens_areTypedAsLlamaCppsConverterTypesThem() {
        Vocabulary v = tokenizer.vocabulary();
        assertThat(v.size()).isEqualTo(151650);
        assertThat(v.type(151643)).isEqualTo(TokenType.CONTROL);
        assertThat(v.type(151644)).as("special-looking text").isEqualTo(TokenType.CONTROL);
        assertThat(v.type(151648)).isEqualTo(TokenType.USER_DEFINED);
        assertThat(v.type(151647)).as("an id no file names").isEqualTo(TokenType.UNUSED);
        assertThat(v.token(151647)).isEqualTo("[PAD151647]");
        assertThat(v.type(9707)).isEqualTo(TokenType.NORMAL);
    }

    @Test
    void bosEosAndFlags_comeFromTheConfig() {
        assertThat(tokenizer.bos()).isEqualTo(151646);
        assertThat(tokenizer.eos()).isEqualTo(151643);
        assertThat(tokenizer.isEndOfGeneration(151643)).isTrue();
        assertThat(tokenizer.encode("Hello world", true, true)).containsExactly(151646, 9707, 1879);
    }

    @Test
    void encode_r1Prompt_splitsItsSpecialTokens() {
        int[] ids = tokenizer.encode("<｜User｜>Hello world<｜Assistant｜><think>\n", false, true);
        assertThat(ids).containsExactly(151644, 9707, 1879, 151645, 151648, 198);
    }

    @Test
    void directoryWithoutMerges_isRejectedWithTheMissingFile() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        Files.writeString(empty.resolve("vocab.json"), "{\"a\": 0}");
        assertThatThrownBy(() -> Tokenizer.load(empty, "qwen2"))
                .isInstanceOf(TokenizerException.class).hasMessageContaining("merges.txt");
    }

    @Test
    void directoryWithoutPreTokenizer_isRejected() {
        assertThatThrownBy(() -> Tokenizer.load(dir, null))
                .isInstanceOf(TokenizerException.class).hasMessageContaining("pre-tokenizer");
    }
}
