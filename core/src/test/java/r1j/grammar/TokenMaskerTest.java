package r1j.grammar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import r1j.tokenizer.Tokenizer;

/**
 * The trie walk (with its plain-string shortcut) gives exactly the mask of the reference scan, which feeds every
 * token's bytes to the state one by one, on Qwen2's 151k-token vocabulary at every state along random instances.
 */
class TokenMaskerTest {

    private static byte[][] bytes;
    private static TokenMasker masker;
    private static int[] eog;

    @BeforeAll
    static void loadVocabulary(@TempDir Path dir) throws IOException {
        for (String f : new String[] {"vocab.json", "merges.txt"}) {
            try (InputStream in = new GZIPInputStream(TokenMaskerTest.class.getResourceAsStream("/tokenizer/vocab/qwen2/" + f + ".gz"))) {
                Files.copy(in, dir.resolve(f));
            }
        }
        Tokenizer t = Tokenizer.load(dir, "qwen2");
        bytes = new byte[t.vocabSize()][];
        for (int id = 0; id < bytes.length; id++) {
            bytes[id] = t.isSpecial(id) ? new byte[0] : t.tokenBytes(id, false);
        }
        eog = new int[] {0};
        masker = new TokenMasker(bytes, eog);
    }

    @Test
    void mask_equalsTheTokenByTokenScan_alongRandomInstances() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        RandomSchemas gen = new RandomSchemas(random);
        long[] fast = new long[TokenMasker.words(bytes.length)];
        long[] slow = new long[fast.length];
        int states = 0;
        for (int s = 0; s < 6; s++) {
            ObjectNode schema = gen.schema();
            Grammar g = Grammar.fromSchema(schema);
            JsonNode instance = gen.instance(schema, schema);
            byte[] text = RandomSchemas.JSON.writeValueAsBytes(instance);
            JsonMatcher m = JsonMatcher.start(g);
            int i = 0;
            while (true) {
                masker.mask(m, fast);
                masker.maskByScan(m, bytes, slow);
                assertThat(fast).as("state after %s", new String(text, 0, i, StandardCharsets.UTF_8)).isEqualTo(slow);
                states++;
                if (i == text.length) {
                    break;
                }
                int end = Math.min(text.length, i + 1 + random.nextInt(4));
                m = m.advance(java.util.Arrays.copyOfRange(text, i, end));
                i = end;
            }
        }
        assertThat(states).isGreaterThan(20);
    }

    @Test
    void mask_allowsEndOfGenerationOnlyWhenComplete() {
        Grammar g = Grammar.fromSchema("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"boolean\"}},\"required\":[\"a\"]}");
        long[] mask = new long[TokenMasker.words(bytes.length)];
        JsonMatcher m = JsonMatcher.start(g).advance("{\"a\":true".getBytes(StandardCharsets.UTF_8));
        masker.mask(m, mask);
        assertThat(TokenMasker.allows(mask, eog[0])).isFalse();
        masker.mask(m.advance('}'), mask);
        assertThat(TokenMasker.allows(mask, eog[0])).isTrue();
        assertThat(java.util.Arrays.stream(mask).map(Long::bitCount).sum()).as("only end of generation after the value").isEqualTo(1);
    }

    @Test
    void insideString_mostOfTheVocabularyIsAllowed() {
        JsonMatcher m = JsonMatcher.start(Grammar.fromSchema("{\"type\":\"string\"}")).advance('"');
        long[] mask = new long[TokenMasker.words(bytes.length)];
        masker.mask(m, mask);
        long allowed = java.util.Arrays.stream(mask).map(Long::bitCount).sum();
        assertThat(allowed).isGreaterThan(bytes.length / 2);
    }
}
