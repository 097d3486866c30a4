package r1j.tokenizer;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Seeded random texts over many scripts decode back to themselves under every pre-tokenizer. */
class RoundTripTest {
    private static final String[] PIECES = {"a", "Z", "é", "ß", "ö", "ñ", "日", "本", "語", "한", "ก", "ា", "न",
        "्", "😀", "🚀", "\u200d", "️", " ", "  ", "\n", "\r\n", "\t", "1", "23", "４", "½", "'s", "'LL", "!", "?!",
        "...", "(", ")", "$", "<", "|", "中文", "Ω", "µ", "\u3000", "\u00a0", "x", "Hello", " world", "—", "，"};


    @ParameterizedTest
    @ValueSource(strings = {"qwen2", "deepseek-r1-qwen", "llama-bpe", "deepseek-v3", "deepseek-llm", "deepseek-coder",
        "gpt-2", "default"})
    void decode_ofEncode_isIdentity(String pre) {
        Tokenizer tokenizer = TestResources.qwen2Tokenizer(pre);
        SplittableRandom random = new SplittableRandom(1234);
        for (int round = 0; round < 200; round++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(1, 30);
            for (int i = 0; i < n; i++) {
                sb.append(PIECES[random.nextInt(PIECES.length)]);
            }
            String text = sb.toString();
            assertThat(tokenizer.decode(tokenizer.encode(text, false, true))).as(pre + ": " + text).isEqualTo(text);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"qwen2", "llama-bpe", "deepseek-v3", "deepseek-llm", "deepseek-coder", "gpt-2", "default"})
    void split_partitionsTheText(String pre) {
        PreTokenizer p = PreTokenizer.forName(pre);
        String text = "I'm 12345 naïve 日本語テキスト\n\n  x  \t🚀!!";
        assertThat(String.join("", p.split(text))).isEqualTo(text);
        assertThat(p.split(text)).allSatisfy(w -> assertThat(w).isNotEmpty());
    }
}
