package r1j.tokenizer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * llama.cpp's tokenizer vectors for the vocabulary-only GGUF files of llama.cpp's models/ folder (byte-level BPE, and
 * the SentencePiece llama-spm).
 */
class GgufVectorsTest {
    @TempDir
    static Path dir;
    static Tokenizer gpt2;
    static Tokenizer deepseekLlm;
    static Tokenizer deepseekCoder;
    static Tokenizer llamaSpm;

    @BeforeAll
    static void load() {
        gpt2 = Tokenizer.load(unpack("gpt-2"), null);
        deepseekLlm = Tokenizer.load(unpack("deepseek-llm"), null);
        deepseekCoder = Tokenizer.load(unpack("deepseek-coder"), null);
        llamaSpm = Tokenizer.load(unpack("llama-spm"), null);
    }

    static Path unpack(String name) {
        return TestResources.gunzip("tokenizer/vocab/ggml-vocab-" + name + ".gguf.gz", dir,
                "ggml-vocab-" + name + ".gguf");
    }

    static List<TestResources.Vector> gpt2Vectors() {
        return TestResources.vectors("gpt-2");
    }

    static List<TestResources.Vector> deepseekLlmVectors() {
        return TestResources.vectors("deepseek-llm");
    }

    static List<TestResources.Vector> llamaSpmVectors() {
        return TestResources.vectors("llama-spm");
    }

    static List<TestResources.Vector> deepseekCoderVectors() {
        return TestResources.vectors("deepseek-coder");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gpt2Vectors")
    void encode_matchesLlamaCpp_gpt2(TestResources.Vector v) {
        assertThat(gpt2.encode(v.input(), false, true)).containsExactly(v.ids());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deepseekLlmVectors")
    void encode_matchesLlamaCpp_deepseekLlm(TestResources.Vector v) {
        assertThat(deepseekLlm.encode(v.input(), false, true)).containsExactly(v.ids());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deepseekCoderVectors")
    void encode_matchesLlamaCpp_deepseekCoder(TestResources.Vector v) {
        assertThat(deepseekCoder.encode(v.input(), false, true)).containsExactly(v.ids());
    }

    @Test
    void load_readsPreTokenizerAndSpecialIdsFromGguf() {
        assertThat(gpt2.vocabulary().preTokenizer()).isEqualTo(PreTokenizer.GPT2);
        assertThat(deepseekLlm.vocabulary().preTokenizer()).isEqualTo(PreTokenizer.DEEPSEEK_LLM);
        assertThat(deepseekCoder.vocabulary().preTokenizer()).isEqualTo(PreTokenizer.DEEPSEEK_CODER);
        assertThat(gpt2.vocabSize()).isEqualTo(50257);
        assertThat(gpt2.tokenText(gpt2.eos())).isEqualTo("<|endoftext|>");
        assertThat(gpt2.isEndOfGeneration(gpt2.eos())).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("llamaSpmVectors")
    void encode_matchesLlamaCpp_llamaSpm(TestResources.Vector v) {
        assertThat(llamaSpm.encode(v.input(), false, true)).containsExactly(v.ids());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("llamaSpmVectors")
    void decode_llamaSpm_givesTheTextBackAfterTheSpacePrefix(TestResources.Vector v) {
        String decoded = llamaSpm.decode(v.ids());
        assertThat(decoded).isEqualTo(v.input().isEmpty() ? "" : " " + v.input());
    }

    @Test
    void load_sentencePieceVocabulary_usesLlamaCppDefaults() {
        Vocabulary v = llamaSpm.vocabulary();
        assertThat(v.type()).isEqualTo(VocabularyType.SPM);
        assertThat(v.addSpacePrefix()).isTrue();
        assertThat(v.addBos()).isTrue();
        assertThat(llamaSpm.encode("Hello", true, true)[0]).isEqualTo(llamaSpm.bos()).isEqualTo(1);
        assertThat(llamaSpm.tokenText(llamaSpm.eos())).isEqualTo("</s>");
    }

    @Test
    void vocabulary_rejectsUnsupportedModelWithClearMessage() {
        assertThatThrownBy(() -> new Vocabulary("bert", null, List.of("[CLS]"), null, null, List.of(),
                Vocabulary.SpecialIds.NONE, null, null, null))
                .isInstanceOf(TokenizerException.class)
                .hasMessageContaining("'bert'").hasMessageContaining("gpt2");
    }
}
