package r1j.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static r1j.engine.EngineFixtures.QWEN;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import r1j.chat.ChatMessage;
import r1j.grammar.Grammar;
import r1j.sample.SamplerSettings;

/**
 * Constrained decoding in the engine, on the random-weight qwen2-tiny golden model: whatever it would write, the
 * answer after the (budget-closed) thought parses and validates against the schema (networknt), and the thought
 * itself is what the unconstrained model writes.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConstrainedGenerationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EngineOptions OPTIONS = EngineOptions.defaults().withContextSize(2048);
    private static final int BUDGET = 6;

    private static GenerationRequest request(long seed) {
        return GenerationRequest.chat(List.of(ChatMessage.user("Describe a city as JSON.")))
                .withSampling(SamplerSettings.r1Defaults().withSeed(seed)).withMaxTokens(1800).withThinkingBudget(BUDGET);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\",\"maxLength\":12},\"population\":{\"type\":\"integer\"},\"capital\":{\"type\":\"boolean\"}},\"required\":[\"name\",\"population\",\"capital\"]}",
            "{\"type\":\"object\",\"properties\":{\"tags\":{\"type\":\"array\",\"items\":{\"enum\":[\"old\",\"new\",\"big\"]},\"minItems\":1,\"maxItems\":3},\"score\":{\"type\":\"number\"}},\"required\":[\"tags\"]}",
            "{\"type\":\"object\",\"properties\":{\"where\":{\"anyOf\":[{\"type\":\"null\"},{\"type\":\"object\",\"properties\":{\"lat\":{\"type\":\"number\"},\"lon\":{\"type\":\"number\"}},\"required\":[\"lat\",\"lon\"]}]},\"note\":{\"type\":\"string\"}},\"required\":[\"where\",\"note\"]}",
            // not {"type":"object"}: a free-form object lets a random-weight model write one endless key, which the
            // grammar allows; whether it stops is then luck of the seed (the matcher tests cover free-form objects)
            "{\"type\":\"object\",\"properties\":{\"ok\":{\"type\":\"boolean\"},\"n\":{\"type\":\"integer\"}},\"required\":[\"ok\",\"n\"]}",
    })
    void constrainedAnswer_parsesAndValidates_whileTheThoughtStaysFree(String schema) throws Exception {
        var validator = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(JSON.readTree(schema));
        try (Engine engine = EngineFixtures.load(QWEN, "F16", OPTIONS)) {
            for (long seed = 1; seed <= 3; seed++) {
                Choice free = engine.generate(request(seed).withMaxTokens(BUDGET)).first();
                Choice c = engine.generate(request(seed).withConstraint(Grammar.fromSchema(schema))).first();
                assertThat(c.finishReason()).as("seed %d: %s", seed, c.answer()).isEqualTo(FinishReason.STOP);
                JsonNode answer = JSON.readTree(c.answer());
                assertThat(validator.validate(answer)).as("seed %d: %s", seed, c.answer()).isEmpty();
                assertThat(c.reasoning()).isEqualTo(free.reasoning());
            }
        }
    }

    @Test
    void unconstrainedRequest_isUnchangedByTheGrammarPath() throws Exception {
        try (Engine engine = EngineFixtures.load(QWEN, "F16", OPTIONS)) {
            Choice a = engine.generate(request(9).withMaxTokens(40)).first();
            engine.generate(request(9).withMaxTokens(40).withConstraint(Grammar.anyJsonObject()));
            Choice b = engine.generate(request(9).withMaxTokens(40)).first();
            assertThat(b.tokens()).containsExactly(a.tokens());
        }
    }
}
