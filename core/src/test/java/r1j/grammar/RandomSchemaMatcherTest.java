package r1j.grammar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Randomized schemas: the matcher accepts every compact instance of the schema (written by Jackson from a generator
 * that reads the schema, not the grammar), never rejects a prefix of one, and whatever it accepts among random
 * mutations parses with Jackson and validates with networknt's JSON-schema validator.
 */
class RandomSchemaMatcherTest {

    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final SchemaRegistry VALIDATORS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final byte[] MUTATION_BYTES = "{}[],:\"\\0123456789-.eE+tfnul aé".getBytes(StandardCharsets.UTF_8);

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void matcher_acceptsValidInstancesAndOnlyValidJson(int seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        RandomSchemas gen = new RandomSchemas(random);
        ObjectNode schemaNode = gen.schema();
        Grammar grammar = Grammar.fromSchema(schemaNode);
        Schema validator = VALIDATORS.getSchema(schemaNode);
        int acceptedMutants = 0;
        for (int i = 0; i < 40; i++) {
            JsonNode instance = gen.instance(schemaNode, schemaNode);
            assertThat(validator.validate(instance)).as("generator produced an invalid instance").isEmpty();
            byte[] bytes = RandomSchemas.JSON.writeValueAsBytes(instance);
            String text = new String(bytes, StandardCharsets.UTF_8);
            JsonMatcher m = JsonMatcher.start(grammar);
            for (int k = 0; k < bytes.length; k++) {
                m = m.advance(bytes[k] & 0xFF);
                assertThat(m).as("rejected byte %d of %s for %s", k, text, schemaNode).isNotNull();
            }
            assertThat(m.isComplete()).as("%s incomplete for %s", text, schemaNode).isTrue();
            for (int j = 0; j < 20; j++) {
                byte[] mutant = mutate(bytes, random);
                if (JsonMatcher.accepts(grammar, mutant)) {
                    acceptedMutants++;
                    String mt = new String(mutant, StandardCharsets.UTF_8);
                    JsonNode parsed = STRICT.readTree(mutant);
                    assertThat(validator.validate(parsed)).as("accepted %s which fails %s", mt, schemaNode).isEmpty();
                }
            }
        }
        assertThat(acceptedMutants).as("some mutations stay valid, so the soundness check ran").isPositive();
    }

    private static byte[] mutate(byte[] b, SplittableRandom random) {
        int at = random.nextInt(b.length);
        byte x = MUTATION_BYTES[random.nextInt(MUTATION_BYTES.length)];
        return switch (random.nextInt(3)) {
            case 0 -> { // delete
                byte[] out = new byte[b.length - 1];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(b, at + 1, out, at, b.length - at - 1);
                yield out;
            }
            case 1 -> { // insert
                byte[] out = new byte[b.length + 1];
                System.arraycopy(b, 0, out, 0, at);
                out[at] = x;
                System.arraycopy(b, at, out, at + 1, b.length - at);
                yield out;
            }
            default -> { // replace
                byte[] out = Arrays.copyOf(b, b.length);
                out[at] = x;
                yield out;
            }
        };
    }
}
