package r1j.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * LangChain4j's Ollama and OpenAI clients, as Java applications use them, against a live server on port 0: a chat and
 * a streamed chat each, greedy, with the answers checked against what the engine itself generates for the same
 * request and the thought returned as LangChain4j's thinking.
 *
 * <p>The golden tiny model has random weights: left alone it thinks for all its tokens. So the OpenAI client sends
 * r1j's {@code thinking_budget} (a custom parameter) to get a thought and then an answer; the Ollama client asks once
 * with {@code think: true} (the thought) and once with {@code think: false} (an answer with no thought).
 */
class LangChain4jClientsTest {

    private static final int MAX_TOKENS = 16;
    private static final String QUESTION = "What is 2+2?";
    private static TestServers servers;

    @BeforeAll
    static void start() {
        servers = TestServers.start();
    }

    @AfterAll
    static void stop() {
        servers.close();
    }

    /** Thinking budget the OpenAI client sends, so the thought closes and an answer follows. */
    private static final int BUDGET = 5;

    /** The engine's own greedy answer with {@code budget} (-1 unlimited): the reference every client must reproduce. */
    private static r1j.engine.Choice reference(int budget) throws InterruptedException {
        r1j.engine.GenerationRequest g = r1j.engine.GenerationRequest.chat(
                        List.of(new r1j.chat.ChatMessage(r1j.chat.ChatMessage.Role.USER, QUESTION, null)))
                .withSampling(r1j.sample.SamplerSettings.r1Defaults().withTemperature(0f))
                .withMaxTokens(MAX_TOKENS).withThinkingBudget(budget);
        r1j.engine.Choice c = servers.engine().generate(g).choices().getFirst();
        assertThat(budget == -1 ? c.reasoning() : c.answer()).as("the reference has text to compare").isNotEmpty();
        return c;
    }

    private static OllamaChatModel ollama(boolean think) {
        return OllamaChatModel.builder().baseUrl(servers.baseUrl()).modelName("deepseek-r1:1.5b")
                .temperature(0.0).numPredict(MAX_TOKENS).think(think).returnThinking(true).customHeaders(auth())
                .timeout(Duration.ofSeconds(60)).build();
    }

    private static OllamaStreamingChatModel ollamaStreaming(boolean think) {
        return OllamaStreamingChatModel.builder().baseUrl(servers.baseUrl()).modelName("deepseek-r1:1.5b")
                .temperature(0.0).numPredict(MAX_TOKENS).think(think).returnThinking(true).customHeaders(auth())
                .timeout(Duration.ofSeconds(60)).build();
    }

    private static Map<String, String> auth() {
        return Map.of("Authorization", "Bearer " + TestServers.KEY);
    }

    @Test
    void ollamaClient_chat_returnsTheThinking_andWithThinkOffTheAnswer() throws Exception {
        ChatResponse thought = ollama(true).chat(UserMessage.from(QUESTION));
        r1j.engine.Choice thinking = reference(-1);
        assertThat(thought.aiMessage().thinking()).isEqualTo(thinking.reasoning());
        assertThat(nullToEmpty(thought.aiMessage().text())).isEqualTo(thinking.answer());
        assertThat(thought.tokenUsage().outputTokenCount()).isEqualTo(thinking.tokens().length);

        ChatResponse answer = ollama(false).chat(UserMessage.from(QUESTION));
        r1j.engine.Choice direct = reference(0);
        assertThat(answer.aiMessage().text()).isEqualTo(direct.answer());
        assertThat(answer.aiMessage().thinking()).isNull();
    }

    @Test
    void ollamaClient_streamedChat_deliversTheThinking_andWithThinkOffTheAnswer() throws Exception {
        Collected thought = stream(ollamaStreaming(true));
        r1j.engine.Choice thinking = reference(-1);
        assertThat(thought.thinking.toString()).isEqualTo(thinking.reasoning());
        assertThat(thought.answer.toString()).isEqualTo(thinking.answer());

        Collected answer = stream(ollamaStreaming(false));
        r1j.engine.Choice direct = reference(0);
        assertThat(answer.answer.toString()).isEqualTo(direct.answer());
        assertThat(answer.thinking.toString()).isEmpty();
        assertThat(answer.done.get(60, TimeUnit.SECONDS).aiMessage().text()).isEqualTo(direct.answer());
    }

    @Test
    void openAiClient_chat_returnsTheAnswerAndTheReasoning() throws Exception {
        ChatModel model = OpenAiChatModel.builder().baseUrl(servers.baseUrl() + "/v1").apiKey(TestServers.KEY)
                .modelName(TestServers.MODEL_ID).temperature(0.0).maxTokens(MAX_TOKENS).returnThinking(true)
                .customParameters(Map.of("thinking_budget", BUDGET)).timeout(Duration.ofSeconds(60)).maxRetries(0).build();
        ChatResponse r = model.chat(UserMessage.from(QUESTION));
        r1j.engine.Choice expected = reference(BUDGET);
        assertThat(r.aiMessage().text()).isEqualTo(expected.answer());
        assertThat(r.aiMessage().thinking()).isEqualTo(expected.reasoning());
    }

    @Test
    void openAiClient_streamedChat_deliversReasoningThenAnswer() throws Exception {
        StreamingChatModel model = OpenAiStreamingChatModel.builder().baseUrl(servers.baseUrl() + "/v1")
                .apiKey(TestServers.KEY).modelName(TestServers.MODEL_ID).temperature(0.0).maxTokens(MAX_TOKENS)
                .returnThinking(true).customParameters(Map.of("thinking_budget", BUDGET))
                .timeout(Duration.ofSeconds(60)).build();
        Collected c = stream(model);
        r1j.engine.Choice expected = reference(BUDGET);
        assertThat(c.answer.toString()).isEqualTo(expected.answer());
        assertThat(c.thinking.toString()).isEqualTo(expected.reasoning());
        assertThat(c.done.get(60, TimeUnit.SECONDS).aiMessage().text()).isEqualTo(expected.answer());
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** What a streaming handler saw. */
    private record Collected(StringBuilder thinking, StringBuilder answer, CompletableFuture<ChatResponse> done) {
    }

    private static Collected stream(StreamingChatModel model) throws Exception {
        Collected c = new Collected(new StringBuilder(), new StringBuilder(), new CompletableFuture<>());
        model.chat(List.of(UserMessage.from(QUESTION)), new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                c.answer.append(partial);
            }

            @Override
            public void onPartialThinking(PartialThinking partial) {
                assertThat(c.answer).as("no thinking after the answer began").isEmpty();
                c.thinking.append(partial.text());
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                c.done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                c.done.completeExceptionally(error);
            }
        });
        c.done.get(60, TimeUnit.SECONDS);
        return c;
    }
}
