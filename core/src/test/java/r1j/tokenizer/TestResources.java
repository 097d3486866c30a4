package r1j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Access to the tokenizer test resources (see core/src/test/resources/README.md). Missing files fail loudly. */
final class TestResources {
    static final ObjectMapper JSON = new ObjectMapper();

    private TestResources() {
    }

    static InputStream open(String resource) {
        InputStream in = TestResources.class.getResourceAsStream("/" + resource);
        if (in == null) {
            throw new IllegalStateException("test resource missing: " + resource);
        }
        return in;
    }

    /** Gunzips {@code resource} (a .gz) into dir under {@code name}; returns the file. */
    static Path gunzip(String resource, Path dir, String name) {
        Path target = dir.resolve(name);
        try (InputStream in = new GZIPInputStream(open(resource))) {
            Files.copy(in, target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    private static Vocabulary qwen2;
    private static final java.util.Map<String, Tokenizer> QWEN2_TOKENIZERS = new java.util.HashMap<>();

    /**
     * The Qwen2 vocabulary (vocab.json + merges.txt) with the given pre-tokenizer, loaded once per test JVM: it has
     * 150k tokens and several test classes use it. The unpacked files are deleted when the JVM exits.
     */
    static synchronized Tokenizer qwen2Tokenizer(String pre) {
        if (qwen2 == null) {
            try {
                Path dir = Files.createTempDirectory("r1j-qwen2-vocab");
                dir.toFile().deleteOnExit(); // registered first, so deleted last, once empty
                qwen2Directory(dir);
                for (String f : List.of("vocab.json", "merges.txt")) {
                    dir.resolve(f).toFile().deleteOnExit();
                }
                qwen2 = HuggingFaceVocabularyReader.read(dir, "qwen2");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return QWEN2_TOKENIZERS.computeIfAbsent(pre, p -> new Tokenizer(qwen2.withPreTokenizer(p)));
    }

    /** The Qwen2 vocab.json + merges.txt, unpacked into dir. */
    static Path qwen2Directory(Path dir) {
        gunzip("tokenizer/vocab/qwen2/vocab.json.gz", dir, "vocab.json");
        gunzip("tokenizer/vocab/qwen2/merges.txt.gz", dir, "merges.txt");
        return dir;
    }

    /** One llama.cpp tokenizer test vector: ids exclude BOS. */
    record Vector(int index, String input, int[] ids) {
        @Override
        public String toString() {
            return "#" + index + " " + (input.length() > 40 ? input.substring(0, 40) + "…" : input);
        }
    }

    /** The vectors of tokenizer/vectors/ggml-vocab-NAME.jsonl. */
    static List<Vector> vectors(String name) {
        List<Vector> out = new ArrayList<>();
        String resource = "tokenizer/vectors/ggml-vocab-" + name + ".jsonl";
        try (InputStream in = open(resource)) {
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = JSON.readTree(line);
                int[] ids = new int[n.get("ids").size()];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = n.get("ids").get(i).asInt();
                }
                out.add(new Vector(n.get("index").asInt(), n.get("input").asText(), ids));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no vectors in " + resource);
        }
        return out;
    }
}
