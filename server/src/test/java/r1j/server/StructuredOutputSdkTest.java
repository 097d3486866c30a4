package r1j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ResponseFormatJsonObject;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Structured output and tool calls through the official OpenAI Java SDK against a live server on the random-weight
 * qwen2-tiny model: the grammar guarantees the shape whatever the model would write, so every JSON-schema answer
 * parses and validates (networknt), and a forced tool call round-trips (call → tool message → final answer),
 * streamed and not.
 */
class StructuredOutputSdkTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServers servers;
    private static OpenAIClient client;

    @BeforeAll
    static void start() {
        servers = TestServers.start(TestServers.options().withParallel(2).withContextSize(2048),
                TestServers.config().withRequestTimeout(Duration.ofSeconds(120)));
        client = servers.client();
    }

    @AfterAll
    static void stop() {
        client.close();
        servers.close();
    }

    private static ChatCompletionCreateParams.Builder base(long seed) {
        return ChatCompletionCreateParams.builder().model(TestServers.MODEL_ID)
                .addUserMessage("Describe a city.").temperature(1.0).seed(seed).maxCompletionTokens(1500)
                .putAdditionalBodyProperty("thinking_budget", JsonValue.from(4));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(String json) throws Exception {
        return JSON.readValue(json, Map.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\",\"maxLength\":10},\"population\":{\"type\":\"integer\"}},\"required\":[\"name\",\"population\"],\"additionalProperties\":false}",
            "{\"type\":\"object\",\"properties\":{\"kind\":{\"enum\":[\"town\",\"city\"]},\"facts\":{\"type\":\"array\",\"items\":{\"type\":\"boolean\"},\"maxItems\":3}},\"required\":[\"kind\",\"facts\"]}",
            "{\"type\":\"object\",\"properties\":{\"loc\":{\"$ref\":\"#/$defs/point\"},\"alt\":{\"anyOf\":[{\"type\":\"number\"},{\"type\":\"null\"}]}},\"required\":[\"loc\",\"alt\"],\"$defs\":{\"point\":{\"type\":\"object\",\"properties\":{\"x\":{\"type\":\"number\"},\"y\":{\"type\":\"number\"}},\"required\":[\"x\",\"y\"]}}}",
    })
    void jsonSchema_answerParsesAndValidates_everySeed(String schemaJson) throws Exception {
        var validator = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(JSON.readTree(schemaJson));
        ResponseFormatJsonSchema.JsonSchema.Schema.Builder schema = ResponseFormatJsonSchema.JsonSchema.Schema.builder();
        map(schemaJson).forEach((k, v) -> schema.putAdditionalProperty(k, JsonValue.from(v)));
        for (long seed = 1; seed <= 3; seed++) {
            ChatCompletion c = client.chat().completions().create(base(seed)
                    .responseFormat(ResponseFormatJsonSchema.builder().jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder()
                            .name("city").strict(true).schema(schema.build()).build()).build())
                    .build());
            String content = c.choices().getFirst().message().content().orElseThrow();
            JsonNode answer = JSON.readTree(content);
            assertThat(validator.validate(answer)).as("seed %d: %s", seed, content).isEmpty();
            assertThat(c.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        }
    }

    @Test
    void jsonObject_streamedAnswerIsAJsonObject() throws Exception {
        ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(
                base(5).responseFormat(ResponseFormatJsonObject.builder().build()).build())) {
            s.stream().forEach(acc::accumulate);
        }
        String content = acc.chatCompletion().choices().getFirst().message().content().orElseThrow();
        assertThat(JSON.readTree(content).isObject()).as(content).isTrue();
    }

    @Test
    void badSchema_is400NamingTheProblem() throws Exception {
        ResponseFormatJsonSchema.JsonSchema.Schema.Builder schema = ResponseFormatJsonSchema.JsonSchema.Schema.builder();
        map("{\"type\":\"string\",\"pattern\":\"^a+$\"}").forEach((k, v) -> schema.putAdditionalProperty(k, JsonValue.from(v)));
        var params = base(1).responseFormat(ResponseFormatJsonSchema.builder().jsonSchema(
                ResponseFormatJsonSchema.JsonSchema.builder().name("bad").schema(schema.build()).build()).build()).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.chat().completions().create(params))
                .isInstanceOf(com.openai.errors.BadRequestException.class)
                .hasMessageContaining("pattern");
    }

    private static ChatCompletionFunctionTool weatherTool() throws Exception {
        FunctionParameters.Builder params = FunctionParameters.builder();
        map("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\",\"maxLength\":12},\"unit\":{\"enum\":[\"C\",\"F\"]}},\"required\":[\"city\",\"unit\"]}")
                .forEach((k, v) -> params.putAdditionalProperty(k, JsonValue.from(v)));
        return ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder().name("get_weather")
                .description("Current weather in a city").parameters(params.build()).build()).build();
    }

    @Test
    void toolCall_roundTrip_requiredThenToolMessageThenAnswer() throws Exception {
        ChatCompletion first = client.chat().completions().create(base(3).addTool(weatherTool())
                .toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED).build());
        ChatCompletion.Choice choice = first.choices().getFirst();
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        ChatCompletionMessage msg = choice.message();
        assertThat(msg.content()).isEmpty();
        ChatCompletionMessageFunctionToolCall call = msg.toolCalls().orElseThrow().getFirst().asFunction();
        assertThat(call.function().name()).isEqualTo("get_weather");
        JsonNode args = JSON.readTree(call.function().arguments());
        assertThat(args.get("unit").asText()).isIn("C", "F");
        assertThat(args.get("city").isTextual()).isTrue();

        ChatCompletion answer = client.chat().completions().create(base(3).addTool(weatherTool())
                .addMessage(msg)
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content("{\"temp\": 21}").build())
                .toolChoice(ChatCompletionToolChoiceOption.Auto.NONE).build());
        assertThat(answer.choices().getFirst().message().toolCalls().orElse(List.of())).isEmpty();
        assertThat(answer.choices().getFirst().message().content()).isPresent();
    }

    @Test
    void toolCall_streamed_namedFunction_arrivesAsToolCallDeltas() throws Exception {
        ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
        List<ChatCompletionChunk> chunks = new java.util.ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(base(8).addTool(weatherTool())
                .toolChoice(com.openai.models.chat.completions.ChatCompletionNamedToolChoice.builder()
                        .function(com.openai.models.chat.completions.ChatCompletionNamedToolChoice.Function.builder().name("get_weather").build())
                        .build())
                .build())) {
            s.stream().forEach(chunk -> {
                chunks.add(chunk);
                acc.accumulate(chunk);
            });
        }
        long argumentPieces = chunks.stream().filter(ch -> !ch.choices().isEmpty())
                .flatMap(ch -> ch.choices().getFirst().delta().toolCalls().orElse(List.of()).stream())
                .filter(t -> t.function().flatMap(f -> f.arguments()).map(a -> !a.isEmpty()).orElse(false)).count();
        assertThat(argumentPieces).as("the arguments arrive in several deltas").isGreaterThan(1);
        ChatCompletion c = acc.chatCompletion();
        assertThat(c.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        var call = c.choices().getFirst().message().toolCalls().orElseThrow().getFirst().asFunction();
        assertThat(call.id()).startsWith("call_");
        assertThat(call.function().name()).isEqualTo("get_weather");
        JsonNode args = JSON.readTree(call.function().arguments());
        assertThat(args.has("city")).as(call.function().arguments()).isTrue();
        assertThat(args.get("unit").asText()).isIn("C", "F");
    }
}
