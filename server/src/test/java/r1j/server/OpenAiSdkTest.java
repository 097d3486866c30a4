package r1j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.models.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK against a live server on loopback: what real clients see. */
class OpenAiSdkTest {

    private static TestServers servers;
    private static OpenAIClient client;

    @BeforeAll
    static void start() {
        servers = TestServers.start();
        client = servers.client();
    }

    @AfterAll
    static void stop() {
        client.close();
        servers.close();
    }

    /** Greedy, 4 thought tokens then a forced close and an answer: both parts are present in every response. */
    private static ChatCompletionCreateParams.Builder greedy(int maxTokens) {
        return ChatCompletionCreateParams.builder().model(TestServers.MODEL_ID)
                .addSystemMessage("You are terse.").addUserMessage("What is 12+7?")
                .temperature(0.0).maxCompletionTokens(maxTokens)
                .putAdditionalBodyProperty("thinking_budget", JsonValue.from(4))
                .putAdditionalBodyProperty("ignore_eos", JsonValue.from(true));
    }

    private static String reasoning(com.openai.models.chat.completions.ChatCompletionMessage m) {
        JsonValue v = m._additionalProperties().get("reasoning_content");
        return v == null ? null : v.convert(String.class);
    }

    @Test
    void chatCompletion_returnsReasoningContentApartFromContent_withUsage() {
        ChatCompletion c = client.chat().completions().create(greedy(16).build());
        assertThat(c.model()).isEqualTo(TestServers.MODEL_ID);
        assertThat(c.choices()).hasSize(1);
        ChatCompletion.Choice choice = c.choices().getFirst();
        assertThat(reasoning(choice.message())).isNotEmpty();
        assertThat(choice.message().content()).isPresent();
        assertThat(choice.message().content().get()).isNotEmpty().doesNotContain("</think>");
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
        var usage = c.usage().orElseThrow();
        assertThat(usage.completionTokens()).isEqualTo(16);
        assertThat(usage.completionTokensDetails().orElseThrow().reasoningTokens()).contains(4L);
        assertThat(usage.promptTokens()).isPositive();
        assertThat(usage.totalTokens()).isEqualTo(usage.promptTokens() + 16);
        assertThat(usage.promptTokensDetails().orElseThrow().cachedTokens()).isPresent();
    }

    @Test
    void chatCompletion_sameSeedAndGreedy_isDeterministic() {
        ChatCompletion a = client.chat().completions().create(greedy(12).build());
        ChatCompletion b = client.chat().completions().create(greedy(12).build());
        assertThat(b.choices().getFirst().message().content()).isEqualTo(a.choices().getFirst().message().content());
        assertThat(reasoning(b.choices().getFirst().message())).isEqualTo(reasoning(a.choices().getFirst().message()));
        // The second identical prompt finds its prefix in the cache.
        assertThat(b.usage().orElseThrow().promptTokensDetails().orElseThrow().cachedTokens().orElseThrow()).isPositive();
    }

    @Test
    void chatCompletion_stream_sendsRoleThenReasoningThenContent_andUsageLast() {
        ChatCompletionCreateParams p = greedy(16)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(p)) {
            s.stream().forEach(chunks::add);
        }
        assertThat(chunks.getFirst().choices().getFirst().delta().role())
                .contains(ChatCompletionChunk.Choice.Delta.Role.ASSISTANT);
        StringBuilder thought = new StringBuilder();
        StringBuilder answer = new StringBuilder();
        boolean answerStarted = false;
        ChatCompletionChunk.Choice.FinishReason finish = null;
        for (ChatCompletionChunk ch : chunks) {
            if (ch.choices().isEmpty()) {
                continue;
            }
            var choice = ch.choices().getFirst();
            var delta = choice.delta();
            JsonValue r = delta._additionalProperties().get("reasoning_content");
            Optional<String> rText = Optional.ofNullable(r == null ? null : r.convert(String.class));
            if (rText.isPresent() && !rText.get().isEmpty()) {
                assertThat(answerStarted).as("reasoning after the answer began").isFalse();
                assertThat(delta.content()).isEmpty(); // content: null while thinking
                thought.append(rText.get());
            }
            if (delta.content().isPresent() && !delta.content().get().isEmpty()) {
                answerStarted = true;
                answer.append(delta.content().get());
            }
            if (choice.finishReason().isPresent()) {
                finish = choice.finishReason().get();
            }
        }
        assertThat(finish).isEqualTo(ChatCompletionChunk.Choice.FinishReason.LENGTH);
        ChatCompletionChunk last = chunks.getLast();
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage().orElseThrow().completionTokens()).isEqualTo(16);
        assertThat(last.usage().orElseThrow().completionTokensDetails().orElseThrow().reasoningTokens()).contains(4L);
        // The stream carries exactly what the non-streamed answer does.
        ChatCompletion whole = client.chat().completions().create(greedy(16).build());
        assertThat(thought.toString()).isEqualTo(reasoning(whole.choices().getFirst().message()));
        assertThat(answer.toString()).isEqualTo(whole.choices().getFirst().message().content().orElseThrow());
    }

    @Test
    void chatCompletion_nChoices_areIndexedAndDifferWithSampling() {
        ChatCompletion c = client.chat().completions().create(greedy(10).temperature(1.0).seed(42).n(3).build());
        assertThat(c.choices()).extracting(ChatCompletion.Choice::index).containsExactly(0L, 1L, 2L);
        List<String> texts = c.choices().stream()
                .map(ch -> reasoning(ch.message()) + "|" + ch.message().content().orElse("")).toList();
        assertThat(texts).doesNotHaveDuplicates();
        assertThat(c.usage().orElseThrow().completionTokens()).isEqualTo(30);
        // Same seed, same choices.
        ChatCompletion again = client.chat().completions().create(greedy(10).temperature(1.0).seed(42).n(3).build());
        assertThat(again.choices().stream().map(ch -> reasoning(ch.message()) + "|" + ch.message().content().orElse(""))
                .toList()).isEqualTo(texts);
    }

    @Test
    void chatCompletion_stopString_endsTheAnswerBeforeIt() {
        String answer = client.chat().completions().create(greedy(24).build())
                .choices().getFirst().message().content().orElseThrow();
        assertThat(answer.length()).isGreaterThan(3);
        String stop = answer.substring(2, 4);
        ChatCompletion c = client.chat().completions().create(greedy(24).stop(stop).build());
        ChatCompletion.Choice choice = c.choices().getFirst();
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(choice.message().content().orElseThrow()).isEqualTo(answer.substring(0, answer.indexOf(stop)));
    }

    @Test
    void chatCompletion_logprobs_reportOnePerTokenWithAlternatives() {
        ChatCompletion c = client.chat().completions().create(greedy(6).logprobs(true).topLogprobs(3)
                .putAdditionalBodyProperty("thinking_budget", JsonValue.from(100)).build());
        var content = c.choices().getFirst().logprobs().orElseThrow().content().orElseThrow();
        assertThat(content).hasSize(6);
        // Greedy picks the most likely token: the first alternative, when the token was sampled.
        var first = content.getFirst();
        assertThat(first.topLogprobs()).hasSize(3);
        assertThat(first.logprob()).isLessThanOrEqualTo(0.0).isEqualTo(first.topLogprobs().getFirst().logprob());
    }

    @Test
    void chatCompletion_historyWithReasoningContent_isAcceptedAndIgnored() {
        var assistant = com.openai.models.chat.completions.ChatCompletionAssistantMessageParam.builder()
                .content("19").putAdditionalProperty("reasoning_content", JsonValue.from("12+7 is 19")).build();
        ChatCompletionCreateParams.Builder base = ChatCompletionCreateParams.builder().model(TestServers.MODEL_ID)
                .addUserMessage("What is 12+7?").temperature(0.0).maxCompletionTokens(6)
                .putAdditionalBodyProperty("ignore_eos", JsonValue.from(true));
        ChatCompletion with = client.chat().completions().create(base.addMessage(assistant)
                .addUserMessage("And 19+1?").build());
        ChatCompletion without = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model(TestServers.MODEL_ID).addUserMessage("What is 12+7?").addAssistantMessage("19")
                .addUserMessage("And 19+1?").temperature(0.0).maxCompletionTokens(6)
                .putAdditionalBodyProperty("ignore_eos", JsonValue.from(true)).build());
        assertThat(with.usage().orElseThrow().promptTokens()).isEqualTo(without.usage().orElseThrow().promptTokens());
        assertThat(reasoning(with.choices().getFirst().message()))
                .isEqualTo(reasoning(without.choices().getFirst().message()));
    }

    @Test
    void completions_rawPrompt_returnsText() {
        Completion c = client.completions().create(CompletionCreateParams.builder()
                .model(TestServers.MODEL_ID).prompt("Once upon a time").maxTokens(8).temperature(0.0)
                .putAdditionalBodyProperty("ignore_eos", JsonValue.from(true)).build());
        assertThat(c.choices()).hasSize(1);
        assertThat(c.choices().getFirst().text()).isNotEmpty();
        assertThat(c.usage().orElseThrow().completionTokens()).isEqualTo(8);
        assertThat(c.choices().getFirst().finishReason()).isEqualTo(com.openai.models.completions.CompletionChoice.FinishReason.LENGTH);
    }

    @Test
    void models_listsTheServedModel_andUnknownIdIs404() {
        List<Model> models = client.models().list().data();
        assertThat(models).extracting(Model::id).containsExactly(TestServers.MODEL_ID);
        assertThat(client.models().retrieve(TestServers.MODEL_ID).id()).isEqualTo(TestServers.MODEL_ID);
        assertThatThrownBy(() -> client.models().retrieve("gpt-9"))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.code()).contains("model_not_found"));
    }

    @Test
    void errors_outOfRangeParameter_is400NamingIt() {
        assertThatThrownBy(() -> client.chat().completions().create(greedy(8).temperature(5.0).topP(1.5).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.param()).isPresent();
                    assertThat(e.type()).contains("invalid_request_error");
                });
        assertThatThrownBy(() -> client.chat().completions().create(greedy(8)
                .putAdditionalBodyProperty("frobnicate", JsonValue.from(1)).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.param()).contains("frobnicate");
                    assertThat(e.code()).contains("unknown_parameter");
                });
        assertThatThrownBy(() -> client.chat().completions().create(greedy(8).n(99).build()))
                .isInstanceOf(BadRequestException.class);
    }

    @Test
    void errors_promptLongerThanContext_is400() {
        String huge = "word ".repeat(2000);
        assertThatThrownBy(() -> client.chat().completions().create(greedy(8).addUserMessage(huge).build()))
                .isInstanceOfSatisfying(BadRequestException.class,
                        e -> assertThat(e.code()).contains("context_length_exceeded"));
        // ... and the server still serves.
        assertThat(client.chat().completions().create(greedy(4).build()).choices()).hasSize(1);
    }

    @Test
    void errors_wrongOrMissingKey_is401() {
        OpenAIClient wrong = OpenAIOkHttpClient.builder().baseUrl(servers.baseUrl() + "/v1").apiKey("nope")
                .maxRetries(0).build();
        try {
            assertThatThrownBy(() -> wrong.chat().completions().create(greedy(4).build()))
                    .isInstanceOfSatisfying(UnauthorizedException.class,
                            e -> assertThat(e.code()).contains("invalid_api_key"));
        } finally {
            wrong.close();
        }
    }
}
