package r1j.gguf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import r1j.tensor.GgmlType;

/** Reads the llama.cpp-written golden models and checks header, metadata and tensor table against their manifests. */
class GgufGoldenModelTest {
    /** The model files shipped in test resources for both variants (see resources README.md). */
    private static final String[] TYPES = {"F16", "Q8_0", "Q4_0", "Q4_K_M", "Q6_K"};

    static Stream<Arguments> models() {
        return Stream.of("qwen2-tiny", "llama-tiny")
                .flatMap(variant -> Stream.of(TYPES).map(type -> Arguments.of(variant, type)));
    }

    static Path golden(String relative) {
        URL url = GgufGoldenModelTest.class.getResource("/golden/" + relative);
        assertThat(url).as("test resource golden/%s", relative).isNotNull();
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode manifest(String variant) throws IOException {
        return new ObjectMapper().readTree(Files.readString(golden(variant + "/manifest.json")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("models")
    void open_goldenModel_tensorTableMatchesManifest(String variant, String type) throws IOException {
        JsonNode entry = manifest(variant).path("types").path(type);
        Path file = golden(variant + "/" + entry.path("model").asText());
        try (GgufFile gguf = GgufFile.open(file)) {
            assertThat(gguf.version()).isEqualTo(3);
            assertThat(gguf.fileSize()).isEqualTo(entry.path("model_bytes").asLong());
            assertThat(gguf.alignment()).isEqualTo(32);
            assertThat(gguf.dataOffset() % 32).isZero();

            Map<String, GgmlType> expected = new LinkedHashMap<>();
            entry.path("tensor_types").properties()
                    .forEach(e -> expected.put(e.getKey(), GgmlType.valueOf(e.getValue().asText())));
            Map<String, GgmlType> actual = new LinkedHashMap<>();
            gguf.tensors().forEach(t -> actual.put(t.name(), t.type()));
            assertThat(actual).containsExactlyInAnyOrderEntriesOf(expected);

            long lastEnd = 0;
            for (GgufTensorInfo t : gguf.tensors()) {
                assertThat(t.byteSize()).isEqualTo(t.type().bytesFor(t.elements()));
                assertThat(gguf.data(t).byteSize()).isEqualTo(t.byteSize());
                lastEnd = Math.max(lastEnd, gguf.dataOffset() + t.offset() + t.byteSize());
            }
            assertThat(lastEnd).isLessThanOrEqualTo(gguf.fileSize());
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("models")
    void open_goldenModel_metadataMatchesManifest(String variant, String type) throws IOException {
        JsonNode manifest = manifest(variant);
        JsonNode hp = manifest.path("hparams");
        String arch = hp.path("arch").asText();
        Path file = golden(variant + "/" + manifest.path("types").path(type).path("model").asText());
        try (GgufFile gguf = GgufFile.open(file)) {
            GgufMetadata md = gguf.metadata();
            assertThat(md.getString("general.architecture")).isEqualTo(arch);
            assertThat(md.getInt(arch + ".embedding_length")).isEqualTo(hp.path("n_embd").asInt());
            assertThat(md.getInt(arch + ".block_count")).isEqualTo(hp.path("n_layer").asInt());
            assertThat(md.getInt(arch + ".attention.head_count")).isEqualTo(hp.path("n_head").asInt());
            assertThat(md.getInt(arch + ".attention.head_count_kv")).isEqualTo(hp.path("n_head_kv").asInt());
            assertThat(md.getInt(arch + ".feed_forward_length")).isEqualTo(hp.path("n_ff").asInt());
            assertThat(md.getFloat(arch + ".rope.freq_base")).isEqualTo((float) hp.path("rope_theta").asDouble());
            assertThat(md.getFloat(arch + ".attention.layer_norm_rms_epsilon")).isEqualTo((float) hp.path("rms_eps").asDouble());
            assertThat(md.getString("tokenizer.ggml.pre")).isEqualTo(hp.path("tokenizer_pre").asText());
            assertThat(md.getString("tokenizer.ggml.model")).isEqualTo(manifest.path("tokenizer").path("model").asText());
            assertThat(md.getInt("tokenizer.ggml.bos_token_id")).isEqualTo(manifest.path("bos_id").asInt());
            assertThat(md.getInt("tokenizer.ggml.eos_token_id")).isEqualTo(manifest.path("eos_id").asInt());
            assertThat(md.getStringArray("tokenizer.ggml.tokens")).hasSize(manifest.path("n_vocab").asInt());
            assertThat(md.getIntArray("tokenizer.ggml.token_type")).hasSize(manifest.path("n_vocab").asInt());

            GgufTensorInfo embd = gguf.tensor("token_embd.weight");
            assertThat(embd.dims()).containsExactly(hp.path("n_embd").asLong(), manifest.path("n_vocab").asLong());
            assertThat(embd.cols()).isEqualTo(hp.path("n_embd").asInt());
            assertThat(embd.rows()).isEqualTo(manifest.path("n_vocab").asInt());
            assertThat(gguf.tensor("no.such.tensor")).isNull();
        }
    }
}
