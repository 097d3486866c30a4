package r1j.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Greedy sampling over llama.cpp's own logits picks llama.cpp's greedy tokens (golden/*: the logits at each of 24
 * greedy steps and the ids llama.cpp chose from them, argmax with lowest id winning ties).
 */
class GreedyGoldenTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static byte[] resource(String path) throws IOException {
        try (InputStream in = GreedyGoldenTest.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + path + " is missing");
            }
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @CsvSource({"qwen2-tiny,F16", "qwen2-tiny,Q4_K_M", "qwen2-tiny,Q8_0", "llama-tiny,F16", "llama-tiny,Q6_K"})
    void greedy_overLlamaCppLogits_picksLlamaCppGreedyIds(String variant, String type) throws IOException {
        JsonNode manifest = JSON.readTree(resource("/golden/" + variant + "/manifest.json"));
        int vocab = manifest.get("n_vocab").asInt();
        JsonNode typeNode = manifest.get("types").get(type);
        JsonNode expectedIds = typeNode.get("greedy_ids");
        String file = typeNode.get("greedy_step_logits").get("file").asText();
        float[] logits = new float[expectedIds.size() * vocab];
        ByteBuffer.wrap(resource("/golden/" + variant + "/" + file)).order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer().get(logits);

        Sampler sampler = Sampler.create(SamplerSettings.greedy(), vocab);
        for (int step = 0; step < expectedIds.size(); step++) {
            assertThat(sampler.sample(logits, step * vocab)).as("step %d", step).isEqualTo(expectedIds.get(step).asInt());
        }
    }
}
