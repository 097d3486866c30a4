package r1j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ollama's API on the wire: NDJSON framing, the stream and final object shapes of docs/api.md, the thought apart in
 * {@code thinking}, options, errors as {@code {"error": "..."}}, and the small endpoints. Generated text is checked
 * against the OpenAI endpoint's answer to the same greedy request (an independent code path over the same engine).
 */
class OllamaApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static TestServers servers;

    @BeforeAll
    static void start() {
        // Room for the tool tests' prompts: the functions' description is ~700 characters (the model's vocabulary
        // is 512 tokens, so nearly one token per character).
        servers = TestServers.start(TestServers.options().withContextSize(2048), TestServers.config());
    }

    @AfterAll
    static void stop() {
        servers.close();
    }

    static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(servers.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + TestServers.KEY);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<JsonNode> lines(String body) throws Exception {
        assertThat(body).endsWith("\n");
        List<JsonNode> out = new ArrayList<>();
        for (String line : body.substring(0, body.length() - 1).split("\n", -1)) {
            assertThat(line).as("every NDJSON line is one JSON object").startsWith("{").endsWith("}");
            out.add(JSON.readTree(line));
        }
        return out;
    }

    private static final String GREEDY_OPTIONS = "\"options\":{\"temperature\":0,\"num_predict\":14,\"seed\":7}";

    /** The same greedy chat through /v1: the reference answer. */
    private static JsonNode openAiMessage(String thinkingBudget) throws Exception {
        HttpResponse<String> r = send("POST", "/v1/chat/completions", """
                {"messages":[{"role":"user","content":"Hi there"}],"temperature":0,"max_tokens":14%s}"""
                .formatted(thinkingBudget == null ? "" : ",\"thinking_budget\":" + thinkingBudget));
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body()).path("choices").path(0).path("message");
    }

    @Test
    void format_jsonSchemaOrJson_constrainsTheAnswer_toJsonThatParsesAndValidates() throws Exception {
        String schema = """
                {"type":"object","properties":{"answer":{"type":"integer"},"ok":{"type":"boolean"},
                 "unit":{"enum":["cm","kg"]}},"required":["answer","ok","unit"]}""";
        for (String format : List.of(schema, "\"json\"")) {
            HttpResponse<String> r = send("POST", "/api/chat", """
                    {"model":"m","messages":[{"role":"user","content":"Give me JSON."}],"think":false,"stream":false,
                     "format":%s,"options":{"temperature":0.8,"seed":3,"num_predict":120}}""".formatted(format));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            String content = JSON.readTree(r.body()).path("message").path("content").asText();
            if (format.equals(schema)) {
                JsonNode answer = JSON.readTree(content);
                assertThat(answer.path("answer").isIntegralNumber()).as(r.body()).isTrue();
                assertThat(answer.path("ok").isBoolean()).as(r.body()).isTrue();
                assertThat(answer.path("unit").asText()).isIn("cm", "kg");
            } else {
                // any object: a random-weight model writes one endless key, so only the opening is certain
                assertThat(content).as(r.body()).startsWith("{\"");
            }
        }
    }

    @Test
    void chatStream_isNdjson_thoughtThenAnswer_endingWithDoneAndStats() throws Exception {
        HttpResponse<String> r = send("POST", "/api/chat", """
                {"model":"deepseek-r1:7b","messages":[{"role":"user","content":"Hi there"}],%s}""".formatted(GREEDY_OPTIONS));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/x-ndjson");
        List<JsonNode> lines = lines(r.body());
        JsonNode last = lines.getLast();
        StringBuilder thinking = new StringBuilder();
        StringBuilder content = new StringBuilder();
        for (JsonNode o : lines.subList(0, lines.size() - 1)) {
            assertThat(o.path("done").asBoolean()).isFalse();
            assertThat(o.path("model").asText()).isEqualTo(TestServers.MODEL_ID);
            assertThat(o.path("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            JsonNode msg = o.path("message");
            assertThat(msg.path("role").asText()).isEqualTo("assistant");
            if (msg.has("thinking")) {
                assertThat(content).as("no thought after the answer began").isEmpty();
                thinking.append(msg.path("thinking").asText());
            }
            content.append(msg.path("content").asText());
        }
        assertThat(last.path("done").asBoolean()).isTrue();
        assertThat(last.path("done_reason").asText()).isIn("stop", "length");
        assertThat(last.path("message").path("content").asText()).isEmpty();
        for (String f : List.of("total_duration", "load_duration", "prompt_eval_count", "prompt_eval_duration",
                "eval_count", "eval_duration")) {
            assertThat(last.path(f).isIntegralNumber()).as(f).isTrue();
        }
        assertThat(last.path("prompt_eval_count").asInt()).isPositive();
        assertThat(last.path("eval_count").asInt()).isBetween(1, 14);
        assertThat(last.path("total_duration").asLong()).isEqualTo(
                last.path("prompt_eval_duration").asLong() + last.path("eval_duration").asLong());
        JsonNode reference = openAiMessage(null);
        assertThat(thinking.toString()).isEqualTo(reference.path("reasoning_content").asText(""));
        assertThat(content.toString()).isEqualTo(reference.path("content").asText());
    }

    @Test
    void chatNotStreamed_isOneObject_withThinkingApart() throws Exception {
        HttpResponse<String> r = send("POST", "/api/chat", """
                {"model":"m","messages":[{"role":"user","content":"Hi there"}],"stream":false,"keep_alive":"5m",
                 "think":true,%s}""".formatted(GREEDY_OPTIONS));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        JsonNode o = JSON.readTree(r.body());
        assertThat(o.path("done").asBoolean()).isTrue();
        JsonNode reference = openAiMessage(null);
        assertThat(o.path("message").path("content").asText()).isEqualTo(reference.path("content").asText());
        assertThat(o.path("message").path("thinking").asText("")).isEqualTo(reference.path("reasoning_content").asText(""));
        assertThat(o.path("eval_count").asInt()).isBetween(1, 14);
    }

    @Test
    void thinkFalse_closesTheThoughtAtOnce_likeABudgetOfZero() throws Exception {
        HttpResponse<String> r = send("POST", "/api/chat", """
                {"model":"m","messages":[{"role":"user","content":"Hi there"}],"stream":false,"think":false,%s}"""
                .formatted(GREEDY_OPTIONS));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode msg = JSON.readTree(r.body()).path("message");
        assertThat(msg.has("thinking")).isFalse();
        assertThat(msg.path("content").asText()).isEqualTo(openAiMessage("0").path("content").asText());
    }

    @Test
    void generate_streamedAndNot_agree_andCarryResponseAndThinking() throws Exception {
        String body = """
                {"model":"m","prompt":"Hi there","system":"Be brief.",%s%s}""";
        JsonNode whole = JSON.readTree(send("POST", "/api/generate", body.formatted(GREEDY_OPTIONS, ",\"stream\":false")).body());
        List<JsonNode> lines = lines(send("POST", "/api/generate", body.formatted(GREEDY_OPTIONS, "")).body());
        StringBuilder response = new StringBuilder();
        StringBuilder thinking = new StringBuilder();
        for (JsonNode o : lines) {
            assertThat(o.has("message")).isFalse();
            response.append(o.path("response").asText());
            thinking.append(o.path("thinking").asText(""));
        }
        JsonNode last = lines.getLast();
        assertThat(last.path("done").asBoolean()).isTrue();
        assertThat(last.path("eval_count").asInt()).isEqualTo(whole.path("eval_count").asInt());
        assertThat(response.toString()).isEqualTo(whole.path("response").asText());
        assertThat(thinking.toString()).isEqualTo(whole.path("thinking").asText(""));
        assertThat(whole.path("done_reason").asText()).isEqualTo(last.path("done_reason").asText());
    }

    @Test
    void numPredict_capsTheTokens_andLengthIsTheDoneReason() throws Exception {
        JsonNode o = JSON.readTree(send("POST", "/api/generate", """
                {"model":"m","prompt":"Count","stream":false,"options":{"num_predict":3,"temperature":0.9,"top_k":40,
                 "top_p":0.9,"min_p":0.05,"repeat_penalty":1.1,"repeat_last_n":-1,"num_ctx":2048,"stop":["zzz"]}}""").body());
        assertThat(o.path("eval_count").asInt()).isBetween(1, 3);
        if (o.path("eval_count").asInt() == 3) {
            assertThat(o.path("done_reason").asText()).isEqualTo("length");
        }
    }

    @Test
    void noPromptOrMessages_answersThatTheModelIsLoaded() throws Exception {
        JsonNode g = JSON.readTree(send("POST", "/api/generate", "{\"model\":\"m\"}").body());
        assertThat(g.path("done").asBoolean()).isTrue();
        assertThat(g.path("done_reason").asText()).isEqualTo("load");
        JsonNode c = JSON.readTree(send("POST", "/api/chat", "{\"model\":\"m\",\"messages\":[]}").body());
        assertThat(c.path("done_reason").asText()).isEqualTo("load");
        assertThat(c.path("message").path("role").asText()).isEqualTo("assistant");
    }

    /** Two functions with bounded arguments, so a forced call always closes within the token limit. */
    private static final String TOOLS = """
            [{"type":"function","function":{"name":"get_weather","description":"Current weather in a city",
              "parameters":{"type":"object","properties":{"city":{"type":"string","maxLength":12},
                "unit":{"enum":["C","F"]}},"required":["city","unit"]}}},
             {"type":"function","function":{"name":"get_time","description":"Local time in a city",
              "parameters":{"type":"object","properties":{"zone":{"enum":["UTC","CET"]}},"required":["zone"]}}}]""";

    private static final String TOOL_QUESTION = "{\"role\":\"user\",\"content\":\"Weather in Oslo?\"}";

    /** A chat about the weather with {@link #TOOLS}; {@code extra} adds fields ({@code ,"tool_choice":...}). */
    private static String toolChat(String messages, String extra) {
        return """
                {"model":"m","messages":[%s],"tools":%s,"think":false,
                 "options":{"temperature":1.0,"seed":11,"num_predict":80}%s}""".formatted(messages, TOOLS, extra);
    }

    /** A call's arguments follow its function's parameter schema (what the call grammar guarantees). */
    private static void assertValidCall(JsonNode call) {
        JsonNode f = call.path("function");
        assertThat(call.size()).as("only 'function', as Ollama writes a call: " + call).isEqualTo(1);
        JsonNode args = f.path("arguments");
        assertThat(args.isObject()).as("arguments are an object, not JSON text: " + call).isTrue();
        switch (f.path("name").asText()) {
            case "get_weather" -> {
                assertThat(args.path("city").isTextual()).as(call.toString()).isTrue();
                assertThat(args.path("city").asText().length()).isLessThanOrEqualTo(12);
                assertThat(args.path("unit").asText()).isIn("C", "F");
            }
            case "get_time" -> assertThat(args.path("zone").asText()).isIn("UTC", "CET");
            default -> throw new AssertionError("a call of a function not in 'tools': " + call);
        }
    }

    @ParameterizedTest(name = "tool_choice {0}")
    @ValueSource(strings = {"\"required\"", "{\"type\":\"function\",\"function\":{\"name\":\"get_time\"}}"})
    void toolCall_forced_isOllamasToolCalls_streamedInOneObject_andAgreesWithTheWholeAnswer(String choice)
            throws Exception {
        String body = toolChat(TOOL_QUESTION, ",\"tool_choice\":" + choice + ",\"stream\":%s");
        HttpResponse<String> r = send("POST", "/api/chat", body.formatted("false"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode whole = JSON.readTree(r.body());
        assertThat(whole.path("done").asBoolean()).isTrue();
        assertThat(whole.path("done_reason").asText()).isEqualTo("stop");
        JsonNode msg = whole.path("message");
        assertThat(msg.path("role").asText()).isEqualTo("assistant");
        assertThat(msg.path("content").asText()).isEmpty();
        assertThat(msg.path("tool_calls")).as(r.body()).hasSize(1);
        JsonNode call = msg.path("tool_calls").path(0);
        assertValidCall(call);
        if (choice.contains("get_time")) {
            assertThat(call.path("function").path("name").asText()).isEqualTo("get_time");
        }

        List<JsonNode> lines = lines(send("POST", "/api/chat", body.formatted("true")).body());
        List<JsonNode> withCalls = lines.stream().filter(o -> o.path("message").has("tool_calls")).toList();
        assertThat(withCalls).as("the call arrives whole, in one object").hasSize(1);
        JsonNode callObject = withCalls.getFirst();
        assertThat(callObject.path("done").asBoolean()).isFalse();
        assertThat(callObject.path("message").path("content").asText()).isEmpty();
        assertThat(callObject.path("message").path("tool_calls")).as("the same seed, the same call")
                .isEqualTo(msg.path("tool_calls"));
        assertThat(lines.stream().map(o -> o.path("message").path("content").asText()).filter(c -> !c.isEmpty()))
                .as("no piece of the call leaks as content").isEmpty();
        JsonNode last = lines.getLast();
        assertThat(last.path("done").asBoolean()).isTrue();
        assertThat(last.path("done_reason").asText()).isEqualTo("stop");
        assertThat(last.path("message").has("tool_calls")).isFalse();
        assertThat(last.path("eval_count").asInt()).isEqualTo(whole.path("eval_count").asInt());
    }

    /** The same conversation through /v1, greedy, no thought: the reference answer and prompt size. */
    private static JsonNode openAiToolAnswer(String messages) throws Exception {
        HttpResponse<String> r = send("POST", "/v1/chat/completions", """
                {"messages":[%s],"tools":%s,"temperature":0,"max_tokens":12,"thinking_budget":0}"""
                .formatted(messages, TOOLS));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void toolCall_roundTrip_callThenToolResultThenAnswer_promptsTheModelAsV1Does() throws Exception {
        JsonNode call = JSON.readTree(send("POST", "/api/chat", toolChat(TOOL_QUESTION,
                ",\"tool_choice\":\"required\",\"stream\":false")).body()).path("message");
        assertThat(call.path("tool_calls")).hasSize(1);
        String name = call.path("tool_calls").path(0).path("function").path("name").asText();
        JsonNode args = call.path("tool_calls").path(0).path("function").path("arguments");

        // Ollama's history: the assistant message as it came back, then the result with tool_name.
        String ollamaHistory = TOOL_QUESTION + "," + call + ",{\"role\":\"tool\",\"content\":\"11 degrees\",\"tool_name\":\""
                + name + "\"}";
        // OpenAI's: arguments as JSON text, the result tied by tool_call_id.
        String openAiHistory = TOOL_QUESTION + ",{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\","
                + "\"type\":\"function\",\"function\":{\"name\":\"" + name + "\",\"arguments\":"
                + JSON.writeValueAsString(args.toString()) + "}}]},{\"role\":\"tool\",\"tool_call_id\":\"call_1\","
                + "\"content\":\"11 degrees\"}";
        for (String stream : List.of("false", "true")) {
            HttpResponse<String> r = send("POST", "/api/chat", """
                    {"model":"m","messages":[%s],"tools":%s,"think":false,"stream":%s,
                     "options":{"temperature":0,"num_predict":12}}""".formatted(ollamaHistory, TOOLS, stream));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            List<JsonNode> objects = lines(r.body().endsWith("\n") ? r.body() : r.body() + "\n");
            StringBuilder content = new StringBuilder();
            objects.forEach(o -> content.append(o.path("message").path("content").asText()));
            assertThat(objects.stream().filter(o -> o.path("message").has("tool_calls"))).isEmpty();
            JsonNode last = objects.getLast();
            JsonNode reference = openAiToolAnswer(openAiHistory);
            assertThat(last.path("prompt_eval_count").asInt()).as("the same prompt as /v1 renders")
                    .isEqualTo(reference.path("usage").path("prompt_tokens").asInt());
            assertThat(content.toString()).isEqualTo(reference.path("choices").path(0).path("message").path("content").asText(""));
        }
    }

    @Test
    void tools_withoutToolChoice_letTheModelDecide_likeV1Auto() throws Exception {
        HttpResponse<String> r = send("POST", "/api/chat", """
                {"model":"m","messages":[%s],"tools":%s,"think":false,"stream":false,
                 "options":{"temperature":0,"num_predict":12}}""".formatted(TOOL_QUESTION, TOOLS));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode o = JSON.readTree(r.body());
        JsonNode reference = openAiToolAnswer(TOOL_QUESTION);
        assertThat(o.path("prompt_eval_count").asInt()).isEqualTo(reference.path("usage").path("prompt_tokens").asInt());
        JsonNode refMessage = reference.path("choices").path(0).path("message");
        assertThat(o.path("message").has("tool_calls")).isEqualTo(refMessage.has("tool_calls") && !refMessage.get("tool_calls").isNull());
        assertThat(o.path("message").path("content").asText()).isEqualTo(refMessage.path("content").asText(""));
    }

    @Test
    void badToolDefinition_isRefused_andTheServerStillAnswers() throws Exception {
        HttpResponse<String> bad = send("POST", "/api/chat", """
                {"model":"m","messages":[%s],"tools":[{"type":"function","function":{"name":"f",
                 "parameters":{"type":"object","properties":{"x":{"type":"string","pattern":"^a+$"}}}}}]}"""
                .formatted(TOOL_QUESTION));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).path("error").asText())
                .contains("tools[0].function.parameters", "pattern");
        HttpResponse<String> ok = send("POST", "/api/chat", toolChat(TOOL_QUESTION, ",\"stream\":false"));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(JSON.readTree(ok.body()).path("done").asBoolean()).isTrue();
    }

    @ParameterizedTest(name = "{0} {1} -> {3}")
    @CsvSource(delimiter = '|', value = {
            "POST|/api/chat|{not json|400|not valid JSON",
            "POST|/api/chat|{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}|400|'model' is required",
            "POST|/api/chat|{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"options\":{\"mirostat\":1}}|400|unknown or unsupported option 'mirostat'",
            "POST|/api/chat|{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"options\":{\"temperature\":\"hot\"}}|400|must be a number",
            "POST|/api/chat|{\"model\":\"m\",\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]}|400|role 'wizard'",
            "POST|/api/chat|{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\",\"images\":[\"AAAA\"]}]}|400|text-only",
            "POST|/api/generate|{\"model\":\"m\",\"prompt\":\"x\",\"format\":\"xml\"}|400|must be \"json\" or a JSON schema",
            "POST|/api/generate|{\"model\":\"m\",\"prompt\":\"x\",\"format\":{\"type\":\"string\",\"pattern\":\"a+\"}}|400|not a schema r1j can follow",
            "POST|/api/chat|{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tools\":{\"type\":\"function\"}}|400|must be a non-empty array",
            "POST|/api/chat|{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tools\":[{\"type\":\"function\"}]}|400|tools[0].function needs a non-empty 'name'",
            "POST|/api/chat|{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tools\":[{\"type\":\"retrieval\"}]}|400|tools[0] must be {\"type\": \"function\"",
            "POST|/api/chat|{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"string\",\"pattern\":\"a+\"}}}]}|400|tools[0].function.parameters: schema keyword 'pattern'",
            "POST|/api/chat|{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}},{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]}|400|function 'f' is defined twice",
            "POST|/api/chat|{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"g\"}}}|400|names function 'g', which is not in 'tools'",
            "POST|/api/chat|{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tool_choice\":\"required\"}|400|'tool_choice' needs 'tools'",
            "POST|/api/chat|{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\",\"tool_calls\":[{\"function\":{\"name\":\"f\",\"arguments\":{}}}]}]}|400|tool_calls are only allowed on assistant messages",
            "POST|/api/chat|{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"function\":{\"arguments\":{}}}]}]}|400|messages[0].tool_calls[0] needs function.name",
            "POST|/api/chat|{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"function\":{\"name\":\"f\",\"arguments\":[1]}}]}]}|400|must be a JSON object or its JSON text",
            "POST|/api/chat|{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\",\"tool_name\":\"f\"}]}|400|messages[0].tool_name is only allowed on tool messages",
            "POST|/api/chat|{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"think\":\"maybe\"}|400|'think' must be",
            "POST|/api/chat|{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"frobnicate\":1}|400|unknown field 'frobnicate'",
            "POST|/api/generate|{\"model\":\"m\",\"prompt\":\"x\",\"suffix\":\"y\"}|400|fill-in-the-middle",
            "POST|/api/generate|{\"model\":\"m\",\"prompt\":\"x\",\"options\":{\"num_predict\":0}}|400|num_predict",
            "POST|/api/generate|{\"model\":\"m\",\"prompt\":\"x\",\"raw\":true,\"system\":\"s\"}|400|'system' has no effect",
            "GET|/api/chat||405|use POST",
            "POST|/api/pull|{\"model\":\"m\"}|404|no route POST /api/pull",
            "POST|/api/show|{}|400|'model' is required",
    })
    void badRequests_getOllamaShapedErrors(String method, String path, String body, int status, String message)
            throws Exception {
        HttpResponse<String> r = send(method, path, body);
        assertThat(r.statusCode()).isEqualTo(status);
        JsonNode o = JSON.readTree(r.body());
        assertThat(o.size()).as("only the error field: " + r.body()).isEqualTo(1);
        assertThat(o.path("error").isTextual()).isTrue();
        assertThat(o.path("error").asText()).contains(message);
    }

    @Test
    void missingKey_is401_inOllamasShape_butVersionIsPublic() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(servers.baseUrl() + "/api/tags")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(r.body()).path("error").asText()).contains("API key");
        HttpResponse<String> v = HTTP.send(HttpRequest.newBuilder(URI.create(servers.baseUrl() + "/api/version")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(v.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(v.body()).path("version").asText()).matches("\\d+\\.\\d+\\.\\d+");
    }

    @Test
    void tagsShowPs_describeTheServedModel() throws Exception {
        JsonNode tags = JSON.readTree(send("GET", "/api/tags", null).body());
        assertThat(tags.path("models")).hasSize(1);
        JsonNode m = tags.path("models").path(0);
        assertThat(m.path("name").asText()).isEqualTo(TestServers.MODEL_ID + ":latest");
        assertThat(m.path("model").asText()).isEqualTo(TestServers.MODEL_ID + ":latest");
        assertThat(m.path("details").path("format").asText()).isEqualTo("gguf");
        assertThat(m.path("details").path("family").asText()).isEqualTo(servers.engine().config().architecture());

        JsonNode show = JSON.readTree(send("POST", "/api/show", "{\"model\":\"" + TestServers.MODEL_ID + "\"}").body());
        String arch = servers.engine().config().architecture();
        assertThat(show.path("model_info").path("general.architecture").asText()).isEqualTo(arch);
        assertThat(show.path("model_info").path(arch + ".context_length").asInt()).isEqualTo(servers.engine().contextSize());
        assertThat(show.path("model_info").path(arch + ".block_count").asInt()).isEqualTo(servers.engine().config().layers());
        assertThat(show.path("capabilities").toString()).contains("\"completion\"", "\"tools\"", "\"thinking\"");

        JsonNode ps = JSON.readTree(send("GET", "/api/ps", null).body());
        assertThat(ps.path("models").path(0).path("context_length").asInt()).isEqualTo(servers.engine().contextSize());
    }
}
