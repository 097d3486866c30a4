package r1j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.internal.JsonSchemaElementUtils;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.output.FinishReason;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** LangChain4j's OpenAI client ({@code langchain4j-open-ai}) against a live server: a JSON-schema answer and a tool call. */
class LangChain4jOpenAiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServers servers;
    private static OpenAiChatModel model;

    @BeforeAll
    static void start() {
        servers = TestServers.start(TestServers.options().withParallel(2).withContextSize(2048),
                TestServers.config().withRequestTimeout(Duration.ofSeconds(120)));
        model = OpenAiChatModel.builder().baseUrl(servers.baseUrl() + "/v1").apiKey(TestServers.KEY)
                .modelName(TestServers.MODEL_ID).maxCompletionTokens(1500).seed(3).temperature(1.0)
                .timeout(Duration.ofSeconds(120)).customParameters(Map.of("thinking_budget", 4)).build();
    }

    @AfterAll
    static void stop() {
        servers.close();
    }

    @Test
    void jsonSchemaAnswer_validates() throws Exception {
        JsonObjectSchema schema = JsonObjectSchema.builder().addStringProperty("name").addIntegerProperty("population")
                .addEnumProperty("kind", List.of("town", "city")).required("name", "population", "kind").build();
        ChatResponse r = model.chat(ChatRequest.builder().messages(UserMessage.from("A city as JSON?"))
                .responseFormat(ResponseFormat.builder().type(ResponseFormatType.JSON)
                        .jsonSchema(JsonSchema.builder().name("city").rootElement(schema).build()).build())
                .build());
        JsonNode answer = JSON.readTree(r.aiMessage().text());
        var validator = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(JSON.valueToTree(JsonSchemaElementUtils.toMap(schema)));
        assertThat(validator.validate(answer)).as(r.aiMessage().text()).isEmpty();
    }

    @Test
    void toolCall_roundTrip() throws Exception {
        ToolSpecification weather = ToolSpecification.builder().name("get_weather").description("Current weather")
                .parameters(JsonObjectSchema.builder().addStringProperty("city").required("city").build()).build();
        ChatResponse call = model.chat(ChatRequest.builder().messages(UserMessage.from("Weather in Oslo?"))
                .parameters(ChatRequestParameters.builder().toolSpecifications(weather).toolChoice(ToolChoice.REQUIRED).build())
                .build());
        assertThat(call.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
        ToolExecutionRequest req = call.aiMessage().toolExecutionRequests().getFirst();
        assertThat(req.name()).isEqualTo("get_weather");
        assertThat(JSON.readTree(req.arguments()).get("city").isTextual()).isTrue();
        ChatResponse answer = model.chat(ChatRequest.builder()
                .messages(UserMessage.from("Weather in Oslo?"), call.aiMessage(), ToolExecutionResultMessage.from(req, "{\"temp\":21}"))
                .parameters(ChatRequestParameters.builder().toolSpecifications(weather).toolChoice(ToolChoice.NONE).build())
                .build());
        assertThat(answer.aiMessage().hasToolExecutionRequests()).isFalse();
    }
}
