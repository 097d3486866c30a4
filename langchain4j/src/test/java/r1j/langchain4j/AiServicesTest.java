package r1j.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.service.AiServices;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import r1j.engine.Engine;
import r1j.engine.EngineOptions;
import r1j.model.GoldenModels;

/**
 * An application using r1j in-process through LangChain4j, on the random-weight qwen2-tiny golden model: a plain AI
 * service, a structured-output return type (the grammar makes the JSON parse whatever the weights), tool calls
 * through the ChatModel, and the streaming model with thinking.
 */
class AiServicesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Engine engine;
    private static R1jChatModel model;

    interface Assistant {
        String chat(String message);
    }

    enum Size { SMALL, LARGE }

    record City(String name, int population, boolean coastal, Size size) {
    }

    interface Extractor {
        City city(String text);
    }

    @BeforeAll
    static void load() throws IOException {
        engine = Engine.load(GoldenModels.model("qwen2-tiny", "Q8_0"), EngineOptions.defaults().withParallel(2).withContextSize(4096));
        model = new R1jChatModel(engine, R1jModelOptions.defaults().withMaxTokens(2000).withThinkingBudget(8).withSeed(4));
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @Test
    void aiService_plainString_returnsTheAnswer() {
        Assistant a = AiServices.create(Assistant.class, model);
        String answer = a.chat("What is 12+7?");
        assertThat(answer).isNotNull();
    }

    @Test
    void aiService_structuredReturnType_isAlwaysParsed() {
        Extractor e = AiServices.create(Extractor.class, model);
        for (int i = 0; i < 3; i++) {
            City c = e.city("Oslo is a coastal city of 700000 people.");
            assertThat(c).isNotNull();
            // LangChain4j's schema for the record leaves properties optional: the model may omit them, but what it
            // writes has the declared types (an out-of-enum size or a non-integer population would not parse).
            assertThat(c.size()).isIn(null, Size.SMALL, Size.LARGE);
        }
    }

    private static ToolSpecification weather() {
        return ToolSpecification.builder().name("get_weather").description("Current weather")
                .parameters(JsonObjectSchema.builder().addStringProperty("city").addEnumProperty("unit", List.of("C", "F"))
                        .required("city", "unit").build())
                .build();
    }

    @Test
    void chatModel_requiredTool_returnsAToolCall_thenAnswersWithTheResult() throws Exception {
        ChatResponse call = model.chat(ChatRequest.builder().messages(UserMessage.from("Weather in Oslo?"))
                .parameters(ChatRequestParameters.builder().toolSpecifications(weather()).toolChoice(ToolChoice.REQUIRED).build())
                .build());
        assertThat(call.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
        ToolExecutionRequest req = call.aiMessage().toolExecutionRequests().getFirst();
        assertThat(req.name()).isEqualTo("get_weather");
        assertThat(JSON.readTree(req.arguments()).get("unit").asText()).isIn("C", "F");
        assertThat(call.aiMessage().thinking()).isNotBlank();

        ChatResponse answer = model.chat(ChatRequest.builder()
                .messages(UserMessage.from("Weather in Oslo?"), call.aiMessage(), ToolExecutionResultMessage.from(req, "{\"temp\":21}"))
                .parameters(ChatRequestParameters.builder().toolSpecifications(weather()).toolChoice(ToolChoice.NONE).build())
                .build());
        assertThat(answer.aiMessage().hasToolExecutionRequests()).isFalse();
        assertThat(answer.aiMessage().text()).isNotNull();
    }

    @Test
    void streamingModel_streamsThinkingThenAnswer_andCompletes() throws Exception {
        R1jStreamingChatModel streaming = new R1jStreamingChatModel(engine,
                R1jModelOptions.defaults().withMaxTokens(40).withThinkingBudget(8).withSeed(2));
        StringBuilder thinking = new StringBuilder();
        StringBuilder answer = new StringBuilder();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        streaming.chat(List.of(UserMessage.from("Hi")), new StreamingChatResponseHandler() {
            @Override
            public void onPartialThinking(PartialThinking t) {
                thinking.append(t.text());
            }

            @Override
            public void onPartialResponse(String text) {
                answer.append(text);
            }

            @Override
            public void onCompleteResponse(ChatResponse r) {
                done.complete(r);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        ChatResponse r = done.get(60, TimeUnit.SECONDS);
        assertThat(r.aiMessage().thinking()).isEqualTo(thinking.toString()).isNotEmpty();
        assertThat(r.aiMessage().text()).isEqualTo(answer.toString());
    }
}
