package r1j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * llama.cpp's {@code llama_tokenize(vocab, text, add_special, parse_special)} results recorded in the golden
 * manifests ({@code tokenizer.cases}) for the 512-token vocabulary inside the golden GGUF models. The same
 * vocabulary is in every golden model (checked against the shared golden files when the resource was made); only
 * {@code tokenizer.ggml.pre} differs, so the deepseek-v3 cases run on qwen2-tiny's file with the pre overridden.
 */
class GoldenCasesTest {
    @TempDir
    static Path dir;
    private static final java.util.Map<String, Tokenizer> LOADED = new java.util.concurrent.ConcurrentHashMap<>();

    record Case(String variant, String pre, String text, boolean addSpecial, boolean parseSpecial, int[] ids) {
        @Override
        public String toString() {
            String t = text.replace("\n", "\\n");
            return variant + " special=" + addSpecial + "/" + parseSpecial + " " + (t.length() > 50
                    ? t.substring(0, 50) + "…" : t);
        }
    }

    static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        out.addAll(read("golden/qwen2-tiny/manifest.json", "qwen2-tiny", null));
        out.addAll(read("golden/llama-tiny/manifest.json", "llama-tiny", null));
        out.addAll(read("tokenizer/golden-deepseek-v3-cases.json", "deepseek2-v3", "deepseek-v3"));
        return out;
    }

    private static List<Case> read(String resource, String variant, String preOverride) {
        try (InputStream in = TestResources.open(resource)) {
            JsonNode root = TestResources.JSON.readTree(in);
            JsonNode tokenizer = root.has("tokenizer") ? root.get("tokenizer") : root;
            String pre = tokenizer.get("pre").asText();
            assertThat(preOverride == null || preOverride.equals(pre)).isTrue();
            List<Case> out = new ArrayList<>();
            for (JsonNode c : tokenizer.get("cases")) {
                int[] ids = new int[c.get("ids").size()];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = c.get("ids").get(i).asInt();
                }
                out.add(new Case(variant, pre, c.get("text").asText(), c.get("add_special").asBoolean(),
                        c.get("parse_special").asBoolean(), ids));
            }
            assertThat(out).as("cases in " + resource).isNotEmpty();
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** qwen2-tiny's and llama-tiny's F16 files; deepseek2-v3 uses qwen2-tiny's with the pre overridden. */
    private static Tokenizer tokenizerFor(Case c) throws IOException {
        Tokenizer cached = LOADED.get(c.variant());
        if (cached != null) {
            return cached;
        }
        String variant = c.variant().equals("deepseek2-v3") ? "qwen2-tiny" : c.variant();
        Path file = dir.resolve(variant + ".gguf");
        if (!Files.exists(file)) {
            try (InputStream in = TestResources.open("golden/" + variant + "/F16.gguf")) {
                Files.copy(in, file);
            }
        }
        Tokenizer loaded = Tokenizer.load(file, c.variant().equals("deepseek2-v3") ? c.pre() : null);
        LOADED.put(c.variant(), loaded);
        return loaded;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void encode_matchesLlamaCppGoldenCase(Case c) throws IOException {
        Tokenizer tokenizer = tokenizerFor(c);
        assertThat(tokenizer.vocabulary().preName()).isEqualTo(c.pre());
        assertThat(tokenizer.encode(c.text(), c.addSpecial(), c.parseSpecial())).containsExactly(c.ids());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decode_ofGoldenIds_givesTheTextBack(Case c) throws IOException {
        Tokenizer tokenizer = tokenizerFor(c);
        int[] ids = c.ids();
        if (c.addSpecial() && ids.length > 0 && ids[0] == tokenizer.bos()) {
            ids = java.util.Arrays.copyOfRange(ids, 1, ids.length);
        }
        assertThat(tokenizer.decode(ids)).isEqualTo(c.text());
    }

    @Test
    void goldenVocabulary_specialTokensAndEndOfGeneration() throws IOException {
        Tokenizer t = tokenizerFor(cases().getFirst());
        assertThat(t.vocabSize()).isEqualTo(512);
        assertThat(t.bos()).isEqualTo(506);
        assertThat(t.eos()).isEqualTo(507);
        assertThat(t.tokenText(506)).isEqualTo("<｜begin▁of▁sentence｜>");
        assertThat(t.tokenId("<think>")).isEqualTo(510);
        assertThat(t.tokenId("</think>")).isEqualTo(511);
        assertThat(t.isSpecial(508)).isTrue();
        assertThat(t.isSpecial(510)).isTrue();
        assertThat(t.isSpecial(65)).isFalse();
        assertThat(t.isEndOfGeneration(507)).isTrue();
        assertThat(t.isEndOfGeneration(511)).isFalse();
        assertThat(t.vocabulary().type(510)).isEqualTo(TokenType.USER_DEFINED);
        assertThat(t.vocabulary().type(508)).isEqualTo(TokenType.CONTROL);
        assertThat(t.decode(new int[] {507}, false)).as("control tokens hidden on request").isEmpty();
        assertThat(t.decode(new int[] {511}, false)).as("user-defined tokens always shown").isEqualTo("</think>");
    }
}
