package r1j.tokenizer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * llama.cpp's tokenizer vectors for the Qwen2 vocabulary, run through the Hugging Face vocab.json + merges.txt
 * with both pre-tokenizer names that select Qwen2's splitter.
 */
class QwenVectorsTest {
    static Vocabulary qwen2;
    static Tokenizer qwen2Tokenizer;
    static Tokenizer r1QwenTokenizer;

    @BeforeAll
    static void load() {
        qwen2Tokenizer = TestResources.qwen2Tokenizer("qwen2");
        qwen2 = qwen2Tokenizer.vocabulary();
        r1QwenTokenizer = TestResources.qwen2Tokenizer("deepseek-r1-qwen");
    }

    static List<TestResources.Vector> qwen2Vectors() {
        return TestResources.vectors("qwen2");
    }

    static List<TestResources.Vector> r1QwenVectors() {
        return TestResources.vectors("deepseek-r1-qwen");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("qwen2Vectors")
    void encode_matchesLlamaCpp_qwen2(TestResources.Vector v) {
        assertThat(qwen2Tokenizer.encode(v.input(), false, true)).containsExactly(v.ids());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("r1QwenVectors")
    void encode_matchesLlamaCpp_deepseekR1Qwen(TestResources.Vector v) {
        assertThat(r1QwenTokenizer.encode(v.input(), false, true)).containsExactly(v.ids());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("qwen2Vectors")
    void decode_roundTripsVectorIds(TestResources.Vector v) {
        assertThat(qwen2Tokenizer.decode(v.ids())).isEqualTo(v.input());
    }

    @Test
    void vocabulary_hasQwen2Size() {
        assertThat(qwen2.size()).isEqualTo(151643);
        assertThat(qwen2.mergeCount()).isEqualTo(151387);
    }
}
