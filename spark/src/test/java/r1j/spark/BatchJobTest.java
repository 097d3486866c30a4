package r1j.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import r1j.chat.ChatMessage;
import r1j.engine.Choice;
import r1j.engine.Engine;
import r1j.engine.EngineOptions;
import r1j.engine.GenerationRequest;
import r1j.engine.Prompt;
import r1j.model.GoldenModels;
import r1j.server.R1jServer;
import r1j.server.ServerConfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchJobTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static SparkSession spark;

    @TempDir Path dir;

    @BeforeAll
    static void startSpark() {
        spark = SparkSession.builder().master("local[2]").appName("r1j-batch-test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
        LocalEngines.closeAll();
    }

    @Test
    void goldenModel_writesOneRowPerPrompt_equalToTheInProcessEngine_andARerunSkipsFinishedIds() throws Exception {
        String model = GoldenModels.model("qwen2-tiny", "Q8_0").toString();
        Path input = dir.resolve("prompts.jsonl");
        Files.writeString(input, """
                {"id": 1, "prompt": "Hello"}
                {"id": 2, "prompt": "What is 2+2?"}
                {"id": 3, "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi there"}]}
                """);
        BatchSettings greedy = new BatchSettings(model, List.of(), null, null, 2, 256, 0, 0f, 1f, 7L, 6, -1, null);
        Path out = dir.resolve("out");

        BatchJob.Result first = new BatchJob(input.toString(), out.toString(), "json", 2, greedy).run(spark);

        assertThat(first).isEqualTo(new BatchJob.Result(3, 0, 3, 0, 0));
        Map<String, JsonNode> rows = readRows(out);
        assertThat(rows.keySet()).containsExactly("1", "2", "3");
        try (Engine engine = Engine.load(Path.of(model), greedy.engineOptions())) {
            assertSameAsEngine(engine, greedy, rows.get("2"), new Prompt.Chat(List.of(ChatMessage.user("What is 2+2?"))));
            assertSameAsEngine(engine, greedy, rows.get("3"), new Prompt.Chat(
                    List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hi there"))));
        }

        Files.writeString(input, """
                {"id": 4, "prompt": "Tell me more"}
                {"id": 5, "prompt": "Goodbye"}
                """, java.nio.file.StandardOpenOption.APPEND);
        BatchJob.Result second = new BatchJob(input.toString(), out.toString(), "json", 2, greedy).run(spark);

        assertThat(second).isEqualTo(new BatchJob.Result(5, 3, 2, 0, 0));
        assertThat(readRows(out).keySet()).containsExactly("1", "2", "3", "4", "5");
        assertThat(new BatchJob(input.toString(), out.toString(), "json", 2, greedy).run(spark))
                .isEqualTo(new BatchJob.Result(5, 5, 0, 0, 0));
    }

    @Test
    void builtInModel_answersArithmetic_inParquet() throws Exception {
        Path builtIn = dir.resolve("tiny-r1.gguf");
        Files.copy(Path.of("../cli/src/main/resources/r1j/models/tiny-r1.gguf"), builtIn);
        Path input = dir.resolve("prompts.jsonl");
        Files.writeString(input, """
                {"id": "a", "prompt": "What is 347 + 589?"}
                {"id": "b", "prompt": "What is 512 - 768?"}
                """);
        Path out = dir.resolve("out");
        BatchSettings greedy = new BatchSettings(builtIn.toString(), List.of(), null, null, 2, 0, 0, 0f, 1f, 1L, -1, -1, null);

        new BatchJob(input.toString(), out.toString(), "parquet", 1, greedy).run(spark);

        var rows = spark.read().parquet(out.toString()).orderBy("id").collectAsList();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).<String>getAs("answer")).contains("\\boxed{936}");
        assertThat(rows.get(1).<String>getAs("answer")).contains("\\boxed{-256}");
        assertThat(rows.get(0).<String>getAs("reasoning")).isNotEmpty();
        assertThat(rows.get(0).<String>getAs("finish_reason")).isEqualTo("stop");
    }

    @Test
    void endpointRun_isAClientOfALiveServer_andGradesRowsWithAnswers() throws Exception {
        Path builtIn = dir.resolve("tiny-r1.gguf");
        Files.copy(Path.of("../cli/src/main/resources/r1j/models/tiny-r1.gguf"), builtIn);
        Path input = dir.resolve("graded.jsonl");
        Files.writeString(input, """
                {"id": "right", "prompt": "What is 347 + 589?", "answer": "936"}
                {"id": "wrong-gold", "prompt": "What is 347 + 589?", "answer": "937"}
                {"id": "ungraded", "prompt": "What is 512 - 768?"}
                """);
        Path out = dir.resolve("out");
        try (Engine engine = Engine.load(builtIn, EngineOptions.defaults().withParallel(2).withContextSize(0));
             R1jServer server = R1jServer.start(engine, ServerConfig.defaults("tiny-r1").withPort(0))) {
            BatchSettings remote = new BatchSettings(null, List.of(server.baseUrl()), null, "tiny-r1", 2, 0, 0, 0f, 1f,
                    1L, 400, -1, "math");

            BatchJob.Result r = new BatchJob(input.toString(), out.toString(), "json", 1, remote).run(spark);

            assertThat(r).isEqualTo(new BatchJob.Result(3, 0, 3, 2, 1));
        }
        Map<String, JsonNode> rows = readRows(out);
        assertThat(rows.get("right").get("answer").asText()).contains("\\boxed{936}");
        assertThat(rows.get("right").get("extracted").asText()).isEqualTo("936");
        assertThat(rows.get("right").get("correct").asBoolean()).isTrue();
        assertThat(rows.get("wrong-gold").get("correct").asBoolean()).isFalse();
        assertThat(rows.get("ungraded").has("correct")).as("no answer, no verdict").isFalse();
        assertThat(rows.get("ungraded").get("answer").asText()).contains("\\boxed{-256}");
    }

    @Test
    void aRowWithoutPromptOrMessages_failsTheJobNamingTheRow() throws Exception {
        Path input = dir.resolve("bad.jsonl");
        Files.writeString(input, "{\"id\": \"x1\", \"prompt\": \"Hi\"}\n{\"id\": \"x2\", \"question\": \"Hi\"}\n");
        BatchSettings s = new BatchSettings(GoldenModels.model("qwen2-tiny", "Q8_0").toString(), List.of(), null, null, 2, 256, 0, 0f, 1f, 1L, 4, -1, null);

        assertThatThrownBy(() -> new BatchJob(input.toString(), dir.resolve("o").toString(), "json", 1, s).run(spark))
                .hasStackTraceContaining("row 'x2' has neither a \"prompt\" nor \"messages\"");
    }

    @Test
    void badSettings_areRefusedWithTheirNames() {
        assertThatThrownBy(() -> new BatchSettings("m.gguf", List.of(), null, null, 0, 0, 0, 0.6f, 0.95f, -1, -1, -1, null)).hasMessageContaining("--parallel");
        assertThatThrownBy(() -> new BatchSettings("m.gguf", List.of(), null, null, 2, 0, 0, 0.6f, 1.5f, -1, -1, -1, null)).hasMessageContaining("top_p");
        assertThatThrownBy(() -> new BatchSettings("m.gguf", List.of("http://h:1"), null, "m", 2, 0, 0, 0.6f, 0.95f, -1, -1, -1, null))
                .hasMessageContaining("not both");
        assertThatThrownBy(() -> new BatchSettings(null, List.of("http://h:1"), null, null, 2, 0, 0, 0.6f, 0.95f, -1, -1, -1, null))
                .hasMessageContaining("--model-name");
        assertThatThrownBy(() -> new BatchSettings("m.gguf", List.of(), null, null, 2, 0, 0, 0.6f, 0.95f, -1, -1, -1, "fuzzy"))
                .hasMessageContaining("unknown grader 'fuzzy'");
        assertThatThrownBy(() -> new BatchJob("in.jsonl", "out", "csv", 0,
                new BatchSettings("m.gguf", List.of(), null, null, 2, 0, 0, 0.6f, 0.95f, -1, -1, -1, null))).hasMessageContaining("csv");
    }

    private static void assertSameAsEngine(Engine engine, BatchSettings s, JsonNode row, Prompt prompt) throws Exception {
        GenerationRequest request = s.request(prompt, row.get("id").asText());
        Choice expected = engine.generate(request).first();
        assertThat(row.get("reasoning").asText()).isEqualTo(expected.reasoning());
        assertThat(row.get("answer").asText()).isEqualTo(expected.answer());
        assertThat(row.get("completion_tokens").asInt()).isEqualTo(expected.usage().completionTokens()).isBetween(1, 6);
        assertThat(row.get("prompt_tokens").asInt()).isEqualTo(engine.tokenize(prompt).length);
        assertThat(row.get("finish_reason").asText()).isEqualTo(expected.finishReason().wireName());
    }

    /** The JSON part files of {@code out}, by id; fails on an id written twice. */
    private static Map<String, JsonNode> readRows(Path out) throws IOException {
        Map<String, JsonNode> rows = new TreeMap<>();
        List<Path> parts;
        try (Stream<Path> s = Files.list(out)) {
            parts = new ArrayList<>(s.filter(p -> p.getFileName().toString().startsWith("part-")).toList());
        }
        for (Path p : parts) {
            for (String line : Files.readAllLines(p)) {
                if (line.isBlank()) continue;
                JsonNode n = JSON.readTree(line);
                assertThat(rows.put(n.get("id").asText(), n)).as("id %s written once", n.get("id").asText()).isNull();
            }
        }
        return rows;
    }
}
