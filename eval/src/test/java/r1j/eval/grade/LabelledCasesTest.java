package r1j.eval.grade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The grader against the labelled public answer-equivalence cases (Math-Verify, lighteval, MATH, NeMo-Skills,
 * Qwen2.5-Math test suites): at least 95% agreement, and every disagreement is one listed with its reason.
 */
class LabelledCasesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void grade_agreesWithTheLabels_exceptTheListedDisagreements() throws IOException {
        List<JsonNode> cases = lines("/math-equivalence/cases.jsonl");
        Map<String, JsonNode> listed = new LinkedHashMap<>();
        for (JsonNode d : lines("/math-equivalence/disagreements.jsonl")) {
            assertThat(d.get("reason").asText()).as(d.get("id").asText()).hasSizeGreaterThan(30);
            assertThat(d.get("kind").asText()).isIn("quirk", "limitation");
            listed.put(d.get("id").asText(), d);
        }
        Grading grading = new Grading(MathEquivalence.shared());
        List<String> disagreements = new ArrayList<>();
        for (JsonNode c : cases) {
            boolean got = grading.equal(c.get("gold").asText(), c.get("pred").asText());
            if (got != c.get("equal").asBoolean()) {
                disagreements.add(c.get("id").asText());
            }
        }
        assertThat(cases).hasSize(243);
        assertThat(disagreements).as("disagreements with the labels").containsExactlyInAnyOrderElementsOf(listed.keySet());
        assertThat(1.0 - disagreements.size() / (double) cases.size()).isGreaterThanOrEqualTo(0.95);
    }

    private static List<JsonNode> lines(String resource) throws IOException {
        try (InputStream in = LabelledCasesTest.class.getResourceAsStream(resource)) {
            assertThat(in).as("test resource " + resource).isNotNull();
            List<JsonNode> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    out.add(JSON.readTree(line));
                }
            }
            return out;
        }
    }
}
