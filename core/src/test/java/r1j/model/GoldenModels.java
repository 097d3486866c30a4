package r1j.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import r1j.tensor.ComputePool;

/**
 * The llama.cpp golden models under {@code src/test/resources/golden/<variant>/} (see that folder's README and
 * {@code manifest.json}): model files, manifests and logits. Shared with other modules' tests through core's test
 * jar; when the resources sit inside a jar, files are copied to a temporary folder once, since GGUF files are mapped.
 * A missing resource fails loudly.
 */
public final class GoldenModels {

    /** The dense variants and the types shipped for both. */
    public static final List<String> DENSE_VARIANTS = List.of("qwen2-tiny", "llama-tiny");
    public static final List<String> DENSE_TYPES = List.of("F16", "Q8_0", "Q4_0", "Q4_K_M", "Q6_K");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Path> FILES = new ConcurrentHashMap<>();
    private static final Map<String, JsonNode> MANIFESTS = new ConcurrentHashMap<>();

    private GoldenModels() {}

    /**
     * {@code path} loaded with its weights left on the mapped file (no repacking): every product then uses F32
     * activations, the semantics of the {@code .deq} golden logits.
     */
    public static LanguageModel loadPlain(Path path) throws IOException {
        return ModelLoader.load(path, ComputePool.shared(), false);
    }

    /** {@code golden/<variant>/<type>.gguf} as a file path. */
    public static Path model(String variant, String type) {
        return file(variant, type + ".gguf");
    }

    /** A file of the golden folder as a real file path (copied out of a jar when needed). */
    public static Path file(String variant, String name) {
        return FILES.computeIfAbsent(variant + "/" + name, GoldenModels::locate);
    }

    public static JsonNode manifest(String variant) {
        return MANIFESTS.computeIfAbsent(variant, v -> {
            try {
                return JSON.readTree(file(v, "manifest.json").toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** {@code manifest.sequences.<name>} (e.g. {@code seq8}). */
    public static int[] sequence(String variant, String name) {
        return ints(manifest(variant).path("sequences").path(name), "sequences." + name);
    }

    /** A JSON array of integers; fails naming {@code what} when it is not one. */
    public static int[] ints(JsonNode array, String what) {
        if (!array.isArray() || array.isEmpty()) throw new IllegalStateException("manifest has no array " + what);
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asInt();
        return out;
    }

    /** A JSON array of numbers as floats. */
    public static float[] floats(JsonNode array, String what) {
        if (!array.isArray() || array.isEmpty()) throw new IllegalStateException("manifest has no array " + what);
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = (float) array.get(i).asDouble();
        return out;
    }

    /** A raw little-endian float32 file of the golden folder. */
    public static float[] f32(String variant, String name) {
        try {
            byte[] bytes = Files.readAllBytes(file(variant, name));
            float[] out = new float[bytes.length / 4];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Largest |a[i] - b[i]| over the first {@code n} values. */
    public static float maxAbsDiff(float[] a, float[] b, int n) {
        float max = 0;
        for (int i = 0; i < n; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
        return max;
    }

    /**
     * Greedy decoding as llama.cpp's golden runs do it: {@code prompt} in one batch, then one token a step; the
     * {@code steps} ids chosen.
     */
    public static int[] greedyIds(LanguageModel model, KvCache cache, int[] prompt, int steps) {
        int vocab = model.config().vocab();
        float[] logits = new float[vocab];
        model.forward(Batch.ofSequence(prompt, 0, false), cache, logits);
        int[] got = new int[steps];
        for (int s = 0; s < steps; s++) {
            got[s] = argmax(logits, 0, vocab);
            if (s + 1 < steps) model.forward(Batch.ofSequence(new int[] {got[s]}, prompt.length + s, true), cache, logits);
        }
        return got;
    }

    /** The first index where {@code a} and {@code b} differ (the shorter length if one is a prefix of the other), or -1. */
    public static int firstMismatch(int[] a, int[] b) {
        for (int i = 0; i < Math.min(a.length, b.length); i++) if (a[i] != b[i]) return i;
        return a.length == b.length ? -1 : Math.min(a.length, b.length);
    }

    /** Index of the largest value in {@code x[off, off + n)}, the lowest index on ties (llama.cpp's greedy rule). */
    public static int argmax(float[] x, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) if (x[off + i] > x[off + best]) best = i;
        return best;
    }

    private static Path locate(String relative) {
        String resource = "/golden/" + relative;
        URL url = GoldenModels.class.getResource(resource);
        if (url == null) throw new IllegalStateException("test resource " + resource + " is missing");
        try {
            if (url.getProtocol().equals("file")) return Path.of(url.toURI());
            Path dir = Files.createTempDirectory("r1j-golden");
            dir.toFile().deleteOnExit();
            Path out = dir.resolve(relative.replace('/', '_'));
            try (InputStream in = url.openStream()) {
                Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
            }
            out.toFile().deleteOnExit();
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
