package r1j.tokenizer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import r1j.gguf.GgufFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Special-token handling on the golden 512-token vocabulary (ids 506..511: BOS, EOS, User, Assistant as CONTROL;
 * {@code <think>}, {@code </think>} as USER_DEFINED), the behaviour llama.cpp's golden cases show.
 */
class SpecialTokensTest {
    @TempDir
    static Path dir;
    static Tokenizer tokenizer;

    @BeforeAll
    static void load() throws IOException {
        Path file = dir.resolve("qwen2-tiny.gguf");
        try (InputStream in = TestResources.open("golden/qwen2-tiny/F16.gguf")) {
            Files.copy(in, file);
        }
        try (GgufFile gguf = GgufFile.open(file)) {
            tokenizer = Tokenizer.fromGguf(gguf.metadata());
        }
    }

    @Test
    void encode_splitsSpecialTokensBeforeBpe() {
        int[] ids = tokenizer.encode("Hi<｜Assistant｜>ok", false, true);
        int[] hi = tokenizer.encode("Hi", false, true);
        int[] ok = tokenizer.encode("ok", false, true);
        int[] expected = concat(hi, new int[] {509}, ok);
        assertThat(ids).containsExactly(expected);
    }

    @Test
    void encode_withoutParseSpecial_controlTokensAreText() {
        String text = "<｜User｜>Hi";
        int[] ids = tokenizer.encode(text, false, false);
        assertThat(Arrays.stream(ids).max().orElseThrow()).isLessThan(506);
        assertThat(tokenizer.decode(ids)).isEqualTo(text);
    }

    @Test
    void encode_withoutParseSpecial_userDefinedTokensAreStillSplit() {
        assertThat(tokenizer.encode("<think></think>", false, false)).containsExactly(510, 511);
    }

    @Test
    void encode_addSpecial_prependsBosOnlyWhenTheVocabularyAsks() {
        assertThat(tokenizer.encode("", true, true)).containsExactly(506);
        assertThat(tokenizer.encode("", false, true)).isEmpty();
        assertThat(tokenizer.vocabulary().addEos()).isFalse();
    }

    @Test
    void tokenId_acceptsStoredAndPlainSpelling() {
        int space = tokenizer.tokenId(" ");
        assertThat(space).isGreaterThanOrEqualTo(0).isEqualTo(tokenizer.tokenId("Ġ"));
        assertThat(tokenizer.tokenId("no such token anywhere")).isEqualTo(-1);
    }

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }
}
