package r1j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import dev.langchain4j.internal.JsonSchemaElementUtils;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import dev.langchain4j.model.output.FinishReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * LangChain4j's Ollama client ({@code langchain4j-ollama}) against a live server: a JSON-schema answer, a tool-call
 * round trip and a streamed tool call (its plain and streamed chat: {@link LangChain4jClientsTest}).
 *
 * <p>Ollama's API has no {@code tool_choice} and the golden model has random weights, so left to decide it never
 * calls a function. For the call itself the client therefore goes through {@link #forcingToolCalls}: LangChain4j's
 * own JDK transport, which adds r1j's {@code "tool_choice": "required"} extension to chat bodies that carry tools.
 * Everything else is LangChain4j's: how it sends the functions, reads {@code message.tool_calls} (arguments an
 * object) into {@link ToolExecutionRequest}s, and sends the call and its result back in the history; the final
 * answer is asked for with the plain client, where the model decides.
 */
class LangChain4jOllamaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServers servers;

    @BeforeAll
    static void start() {
        servers = TestServers.start(TestServers.options().withParallel(2).withContextSize(2048),
                TestServers.config().withRequestTimeout(Duration.ofSeconds(120)));
    }

    @AfterAll
    static void stop() {
        servers.close();
    }

    private static Map<String, String> auth() {
        return Map.of("Authorization", "Bearer " + TestServers.KEY);
    }

    private static OllamaChatModel model(HttpClientBuilder http) {
        return OllamaChatModel.builder().httpClientBuilder(http).baseUrl(servers.baseUrl()).modelName("deepseek-r1:1.5b")
                .temperature(1.0).seed(3).numPredict(200).think(false).customHeaders(auth())
                .timeout(Duration.ofSeconds(120)).build();
    }

    /** The weather function; the city's length is bounded so a forced call always closes within the limit. */
    private static ToolSpecification weather() {
        return ToolSpecification.builder().name("get_weather").description("Current weather in a city")
                .parameters(JsonObjectSchema.builder()
                        .addProperty("city", JsonRawSchema.from("{\"type\":\"string\",\"maxLength\":12}"))
                        .addEnumProperty("unit", List.of("C", "F")).required("city", "unit").build())
                .build();
    }

    private static void assertWeatherCall(ToolExecutionRequest call) throws IOException {
        assertThat(call.name()).isEqualTo("get_weather");
        JsonNode args = JSON.readTree(call.arguments());
        assertThat(args.path("city").isTextual()).as(call.arguments()).isTrue();
        assertThat(args.path("city").asText().length()).isLessThanOrEqualTo(12);
        assertThat(args.path("unit").asText()).isIn("C", "F");
    }

    @Test
    void jsonSchemaAnswer_validates() throws Exception {
        JsonObjectSchema schema = JsonObjectSchema.builder().addIntegerProperty("answer").addBooleanProperty("ok")
                .addEnumProperty("unit", List.of("cm", "kg")).required("answer", "ok", "unit").build();
        ChatResponse r = model(JdkHttpClient.builder()).chat(ChatRequest.builder()
                .messages(UserMessage.from("Give me JSON."))
                .responseFormat(ResponseFormat.builder().type(ResponseFormatType.JSON)
                        .jsonSchema(JsonSchema.builder().name("answer").rootElement(schema).build()).build())
                .build());
        JsonNode answer = JSON.readTree(r.aiMessage().text());
        var validator = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(JSON.valueToTree(JsonSchemaElementUtils.toMap(schema)));
        assertThat(validator.validate(answer)).as(r.aiMessage().text()).isEmpty();
    }

    @Test
    void toolCall_roundTrip_callThenResultThenAnswer() throws Exception {
        UserMessage question = UserMessage.from("Weather in Oslo?");
        ChatResponse call = model(forcingToolCalls()).chat(ChatRequest.builder().messages(question)
                .parameters(ChatRequestParameters.builder().toolSpecifications(weather()).build()).build());
        assertThat(call.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
        assertThat(call.aiMessage().toolExecutionRequests()).hasSize(1);
        ToolExecutionRequest req = call.aiMessage().toolExecutionRequests().getFirst();
        assertWeatherCall(req);

        ChatResponse answer = model(JdkHttpClient.builder()).chat(ChatRequest.builder()
                .messages(question, call.aiMessage(), ToolExecutionResultMessage.from(req, "{\"temp\":21}"))
                .parameters(ChatRequestParameters.builder().toolSpecifications(weather()).build()).build());
        assertThat(answer.aiMessage().hasToolExecutionRequests()).isFalse();
        assertThat(answer.aiMessage().text()).isNotNull();
        assertThat(answer.finishReason()).isIn(FinishReason.STOP, FinishReason.LENGTH);
    }

    @Test
    void toolCall_streamed_arrivesAsOneToolExecutionRequest() throws Exception {
        OllamaStreamingChatModel model = OllamaStreamingChatModel.builder().httpClientBuilder(forcingToolCalls())
                .baseUrl(servers.baseUrl()).modelName("deepseek-r1:1.5b").temperature(1.0).seed(5).numPredict(200)
                .think(false).customHeaders(auth()).timeout(Duration.ofSeconds(120)).build();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        StringBuilder partial = new StringBuilder();
        model.chat(ChatRequest.builder().messages(UserMessage.from("Weather in Oslo?"))
                .parameters(ChatRequestParameters.builder().toolSpecifications(weather()).build()).build(),
                new StreamingChatResponseHandler() {
                    @Override
                    public void onPartialResponse(String text) {
                        partial.append(text);
                    }

                    @Override
                    public void onCompleteResponse(ChatResponse response) {
                        done.complete(response);
                    }

                    @Override
                    public void onError(Throwable error) {
                        done.completeExceptionally(error);
                    }
                });
        AiMessage message = done.get(120, TimeUnit.SECONDS).aiMessage();
        assertThat(partial).as("no piece of the call arrives as text").isEmpty();
        assertThat(message.toolExecutionRequests()).hasSize(1);
        assertWeatherCall(message.toolExecutionRequests().getFirst());
    }

    /**
     * LangChain4j's JDK transport, adding r1j's {@code "tool_choice": "required"} extension to every request body
     * with {@code tools} (Ollama's API has no way to force a call; see the class comment).
     */
    private static HttpClientBuilder forcingToolCalls() {
        return new ForcingBuilder(JdkHttpClient.builder());
    }

    private record ForcingBuilder(HttpClientBuilder inner) implements HttpClientBuilder {

        @Override
        public Duration connectTimeout() {
            return inner.connectTimeout();
        }

        @Override
        public HttpClientBuilder connectTimeout(Duration timeout) {
            inner.connectTimeout(timeout);
            return this;
        }

        @Override
        public Duration readTimeout() {
            return inner.readTimeout();
        }

        @Override
        public HttpClientBuilder readTimeout(Duration timeout) {
            inner.readTimeout(timeout);
            return this;
        }

        @Override
        public HttpClient build() {
            HttpClient client = inner.build();
            return new HttpClient() {
                @Override
                public SuccessfulHttpResponse execute(HttpRequest request) {
                    return client.execute(forced(request));
                }

                @Override
                public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
                    client.execute(forced(request), parser, listener);
                }
            };
        }

        private static HttpRequest forced(HttpRequest request) {
            if (request.body() == null) {
                return request;
            }
            try {
                JsonNode body = JSON.readTree(request.body());
                if (!body.path("tools").isArray() || body.path("tools").isEmpty()) {
                    return request;
                }
                ((ObjectNode) body).put("tool_choice", "required");
                return HttpRequest.builder().method(request.method()).url(request.url()).headers(request.headers())
                        .body(body.toString()).build();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
