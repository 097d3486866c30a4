package r1j.tokenizer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@link Vocabulary} from a Hugging Face tokenizer directory: {@code vocab.json} (token to id) and
 * {@code merges.txt} (one merge per line, rank = line order, an optional {@code #version} header), plus, when
 * present, {@code tokenizer_config.json} for added tokens ({@code added_tokens_decoder}: special or
 * special-looking ones become CONTROL, others USER_DEFINED, as llama.cpp's converter types them), BOS/EOS and
 * add_bos/add_eos.
 * Ids missing from the files become UNUSED {@code [PAD<id>]} tokens, as the converter writes them.
 */
final class HuggingFaceVocabularyReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** vocab.json has 150k distinct keys: canonicalizing and interning them as field names costs seconds. */
    private static final JsonFactory VOCAB_JSON = JsonFactory.builder()
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .build();

    private HuggingFaceVocabularyReader() {
    }

    static Vocabulary read(Path dir, String preName) {
        if (preName == null || preName.isEmpty()) {
            throw new TokenizerException("a Hugging Face tokenizer directory does not name its pre-tokenizer; pass one"
                    + " (for example qwen2 or deepseek-r1-qwen); supported: " + PreTokenizer.supportedNames());
        }
        Path vocabFile = dir.resolve("vocab.json");
        Path mergesFile = dir.resolve("merges.txt");
        for (Path p : List.of(vocabFile, mergesFile)) {
            if (!Files.isRegularFile(p)) {
                throw new TokenizerException("tokenizer directory " + dir + " has no " + p.getFileName()
                        + "; expected vocab.json and merges.txt (Hugging Face byte-level BPE)");
            }
        }
        try {
            List<String> byId = readVocabJson(vocabFile);
            List<String> merges = readMerges(mergesFile);
            Map<Integer, Integer> types = new HashMap<>();
            Config config = readConfig(dir.resolve("tokenizer_config.json"), byId, types);
            int size = byId.size();
            int[] typeCodes = new int[size];
            for (int id = 0; id < size; id++) {
                if (byId.get(id) == null) {
                    byId.set(id, "[PAD" + id + "]");
                    typeCodes[id] = TokenType.UNUSED.code();
                } else {
                    typeCodes[id] = types.getOrDefault(id, TokenType.NORMAL.code());
                }
            }
            int bos = config.bos == null ? -1 : byId.indexOf(config.bos);
            int eos = config.eos == null ? -1 : byId.indexOf(config.eos);
            var special = new Vocabulary.SpecialIds(bos, eos, -1, -1, -1, -1);
            Boolean addBos = config.addBos != null ? config.addBos : bos >= 0 ? null : Boolean.FALSE;
            return new Vocabulary("gpt2", preName, byId, typeCodes, null, merges, special, addBos, config.addEos,
                    null);
        } catch (IOException e) {
            throw new TokenizerException("cannot read tokenizer files in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Puts text at index id, growing the list with nulls (ids without a token) as needed. */
    private static void put(List<String> byId, int id, String text) {
        while (byId.size() <= id) {
            byId.add(null);
        }
        byId.set(id, text);
    }

    /** Streams vocab.json (a flat object of token to id) without building a tree of 150k nodes. */
    private static List<String> readVocabJson(Path file) throws IOException {
        List<String> byId = new ArrayList<>(160_000);
        try (InputStream in = Files.newInputStream(file); JsonParser p = VOCAB_JSON.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new TokenizerException(file + " is not a JSON object of token to id");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String token = p.currentName();
                if (p.nextToken() != JsonToken.VALUE_NUMBER_INT || p.getIntValue() < 0) {
                    throw new TokenizerException(file + ": the id of token '" + token + "' is not an integer >= 0");
                }
                put(byId, p.getIntValue(), token);
            }
        }
        return byId;
    }

    private static List<String> readMerges(Path file) throws IOException {
        List<String> merges = new ArrayList<>(160_000);
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            boolean first = true;
            while ((line = r.readLine()) != null) {
                if (first && line.startsWith("#version")) {
                    first = false;
                    continue;
                }
                first = false;
                if (!line.isEmpty()) {
                    merges.add(line);
                }
            }
        }
        return merges;
    }

    private record Config(String bos, String eos, Boolean addBos, Boolean addEos) {
    }

    /** Reads tokenizer_config.json if present: added tokens go into byId and types. */
    private static Config readConfig(Path file, List<String> byId, Map<Integer, Integer> types)
            throws IOException {
        if (!Files.isRegularFile(file)) {
            return new Config(null, null, null, null);
        }
        JsonNode root = JSON.readTree(file.toFile());
        JsonNode added = root.path("added_tokens_decoder");
        for (Map.Entry<String, JsonNode> e : added.properties()) {
            int id = Integer.parseInt(e.getKey());
            String content = e.getValue().path("content").asText();
            put(byId, id, content);
            boolean special = e.getValue().path("special").asBoolean(false) || looksSpecial(content);
            types.put(id, (special ? TokenType.CONTROL : TokenType.USER_DEFINED).code());
        }
        return new Config(tokenContent(root.get("bos_token")), tokenContent(root.get("eos_token")),
                root.has("add_bos_token") ? root.get("add_bos_token").asBoolean() : null,
                root.has("add_eos_token") ? root.get("add_eos_token").asBoolean() : null);
    }

    /**
     * llama.cpp's converter ({@code does_token_look_special}) also types added tokens as CONTROL when their text
     * looks like a control token, whatever the "special" flag says: {@code <｜User｜>} is CONTROL, {@code <think>}
     * stays USER_DEFINED.
     */
    static boolean looksSpecial(String text) {
        return switch (text) {
            case "<pad>", "<mask>", "<cls>", "<sep>", "</s>", "<unk>", "<s>" -> true;
            default -> (text.startsWith("<|") && text.endsWith("|>"))
                    || (text.startsWith("<｜") && text.endsWith("｜>"))
                    || (text.startsWith("<unused") && text.endsWith(">"));
        };
    }

    /** bos_token / eos_token are either a string or an object with "content". */
    private static String tokenContent(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        return node.isTextual() ? node.asText() : node.path("content").asText(null);
    }
}
