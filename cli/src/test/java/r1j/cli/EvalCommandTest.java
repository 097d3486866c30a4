package r1j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import r1j.cli.store.BuiltInModel;
import r1j.engine.Engine;
import r1j.engine.EngineOptions;
import r1j.server.R1jServer;
import r1j.server.ServerConfig;

/**
 * {@code r1j eval} end to end with the built-in tiny R1: in process and through a live {@code r1j serve} server over
 * HTTP. The JSONL is checked line by line, the summary's figures are recomputed here from the JSONL alone, and a run
 * cut off mid-write is resumed.
 */
@Timeout(600)
class EvalCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FIELDS = List.of("id", "sample", "prompt", "reasoning", "answer", "extracted", "gold",
            "correct", "tokens", "seconds", "finish_reason");

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void eval_inProcess_writesAuditableSamples_figuresMatchTheJsonl_andAStoppedRunResumes() throws Exception {
        Path model = BuiltInModel.file(dir.resolve("home"));
        Path runDir = dir.resolve("run");
        String[] args = {"eval", "--bench", "arithmetic", "--limit", "4", "-k", "2", "--concurrency", "4", "--seed", "3",
                "-m", model.toString(), "--out", runDir.toString(), "--quiet"};
        assertThat(run(args)).as(err.toString()).isZero();
        assertThat(out.toString()).contains("arithmetic", "pass@1", "cons@2", "pass@2");
        List<JsonNode> first = lines(runDir.resolve("samples.jsonl"));
        checkSamples(first, 4, 2);
        checkSummary(runDir, first, 2);
        assertThat(Files.readString(runDir.resolve("summary.md"))).contains("| pass@1 |", "## Completion tokens");
        assertThat(Files.readString(runDir.resolve("chart.html"))).startsWith("<!doctype html>").contains("<svg").doesNotContain("<script");

        // a run killed while writing its fourth line: three whole lines and half of the fourth are left
        String text = Files.readString(runDir.resolve("samples.jsonl"));
        String[] rows = text.split("\n");
        Files.writeString(runDir.resolve("samples.jsonl"), rows[0] + "\n" + rows[1] + "\n" + rows[2] + "\n"
                + rows[3].substring(0, rows[3].length() / 2), StandardCharsets.UTF_8);
        assertThat(run(args)).as(err.toString()).isZero();
        List<JsonNode> resumed = lines(runDir.resolve("samples.jsonl"));
        checkSamples(resumed, 4, 2);
        assertThat(resumed.subList(0, 3)).isEqualTo(first.subList(0, 3)); // kept, not redone
        // each sample's seed depends only on the run's seed, problem and index: the redone samples are the same
        assertThat(byKey(resumed).keySet()).isEqualTo(byKey(first).keySet());
        byKey(first).forEach((k, v) -> assertThat(byKey(resumed).get(k).get("answer")).as(k).isEqualTo(v.get("answer")));
        checkSummary(runDir, resumed, 2);

        // the same folder with other sampling settings is refused, not mixed
        args[args.length - 1] = "--quiet";
        String[] other = java.util.Arrays.copyOf(args, args.length + 2);
        other[args.length] = "--temperature";
        other[args.length + 1] = "0.9";
        assertThat(run(other)).isEqualTo(2);
        assertThat(err.toString()).contains("holds a run with");
    }

    @Test
    void eval_throughALiveServer_viaEndpoint() throws Exception {
        Path model = BuiltInModel.file(dir.resolve("home"));
        try (Engine engine = Engine.load(model, EngineOptions.defaults().withParallel(4).withContextSize(0))) {
            R1jServer server = R1jServer.start(engine, ServerConfig.defaults("tiny-r1").withPort(0).withApiKey("k"));
            try {
                Path runDir = dir.resolve("remote");
                int rc = run("eval", "--bench", "arithmetic", "--limit", "3", "-k", "2", "--endpoint", server.baseUrl() + "/v1",
                        "--api-key", "k", "--model-name", "tiny-r1", "--max-tokens", "400", "--out", runDir.toString(), "--quiet");
                assertThat(rc).as(err.toString()).isZero();
                List<JsonNode> samples = lines(runDir.resolve("samples.jsonl"));
                checkSamples(samples, 3, 2);
                // the server splits the thought into reasoning_content; the answer part carries the box
                assertThat(samples).anySatisfy(s -> {
                    assertThat(s.get("reasoning").asText()).isNotBlank().doesNotContain("<think>");
                    assertThat(s.get("answer").asText()).contains("\\boxed{");
                });
                checkSummary(runDir, samples, 2);
                assertThat(JSON.readTree(runDir.resolve("summary.json").toFile()).get("model").asText()).isEqualTo("tiny-r1");
            } finally {
                server.close();
            }
        }
    }

    @Test
    void grade_printsOneVerdictPerInputLine_inOrder() throws Exception {
        Path file = dir.resolve("pairs.jsonl");
        Files.writeString(file, """
                {"gold": "\\\\frac{1}{2}", "pred": "The answer is $\\\\boxed{0.5}$."}
                {"gold": "(1, 2)", "pred": "(2, 1)"}
                {"gold": "\\\\sqrt{8}", "pred": "2\\\\sqrt{2}"}
                """);
        assertThat(run("grade", file.toString())).as(err.toString()).isZero();
        assertThat(out.toString().lines().toList()).containsExactly("{\"equal\": true}", "{\"equal\": false}", "{\"equal\": true}");
        Files.writeString(file, "{\"gold\": \"1\"}\n");
        assertThat(run("grade", file.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("line 1 needs \"gold\" and \"pred\"");
    }

    @Test
    void eval_rejectsBadArguments_withTheReason() {
        assertThat(run("eval", "--bench", "poetry")).isEqualTo(2);
        assertThat(err.toString()).contains("'poetry' is neither a built-in benchmark");
        assertThat(run("eval", "--bench", "math500", "--subset", "topology")).isEqualTo(2);
        assertThat(err.toString()).contains("neither a level nor a subject");
        assertThat(run("eval", "--bench", "gsm8k", "--endpoint", "http://127.0.0.1:1")).isEqualTo(2);
        assertThat(err.toString()).contains("--endpoint needs --model-name");
        assertThat(run("eval", "--bench", "arithmetic", "-m", dir.resolve("nope.gguf").toString(), "--out", dir.resolve("x").toString()))
                .isEqualTo(1);
        assertThat(err.toString()).contains("cannot load model");
    }

    /** Every (problem, sample) once, all fields present, verdicts consistent with the arithmetic rule. */
    private static void checkSamples(List<JsonNode> samples, int problems, int k) {
        assertThat(samples).hasSize(problems * k);
        Set<String> keys = new HashSet<>();
        for (JsonNode s : samples) {
            assertThat(FIELDS).allSatisfy(f -> assertThat(s.has(f)).as("field " + f + " in " + s).isTrue());
            assertThat(keys.add(s.get("id").asText() + "#" + s.get("sample").asInt())).isTrue();
            assertThat(s.get("sample").asInt()).isBetween(0, k - 1);
            assertThat(s.get("prompt").asText()).startsWith("What is ");
            assertThat(s.get("tokens").asInt()).isPositive();
            String extracted = s.get("extracted").isNull() ? null : s.get("extracted").asText().replace(",", "").strip();
            boolean expected = extracted != null && extracted.equals(s.get("gold").asText());
            assertThat(s.get("correct").asBoolean()).as(s.toString()).isEqualTo(expected);
        }
    }

    /** pass@1, pass@k, cons@k and token figures recomputed from the JSONL must equal summary.json's. */
    private static void checkSummary(Path runDir, List<JsonNode> samples, int k) throws IOException {
        Map<String, List<JsonNode>> byId = new LinkedHashMap<>();
        samples.forEach(s -> byId.computeIfAbsent(s.get("id").asText(), x -> new ArrayList<>()).add(s));
        double pass1 = 0, passK = 0, cons = 0;
        long tokens = 0;
        for (List<JsonNode> group : byId.values()) {
            int right = 0;
            Map<String, Integer> votes = new LinkedHashMap<>();
            Map<String, Boolean> verdict = new HashMap<>();
            group.sort(java.util.Comparator.comparingInt(s -> s.get("sample").asInt()));
            for (JsonNode s : group) {
                right += s.get("correct").asBoolean() ? 1 : 0;
                tokens += s.get("tokens").asInt();
                if (!s.get("extracted").isNull()) {
                    String a = s.get("extracted").asText().replace(",", "").strip();
                    votes.merge(a, 1, Integer::sum);
                    verdict.putIfAbsent(a, s.get("correct").asBoolean());
                }
            }
            pass1 += right / (double) k;
            passK += right > 0 ? 1 : 0; // with n = k samples the unbiased pass@k is "any right"
            String top = votes.entrySet().stream().reduce((a, b) -> b.getValue() > a.getValue() ? b : a).map(Map.Entry::getKey).orElse(null);
            cons += top != null && verdict.get(top) ? 1 : 0;
        }
        int n = byId.size();
        JsonNode summary = JSON.readTree(runDir.resolve("summary.json").toFile());
        assertThat(summary.get("n_problems").asInt()).isEqualTo(n);
        assertThat(summary.get("k").asInt()).isEqualTo(k);
        assertThat(summary.get("pass_at_1").asDouble()).isCloseTo(pass1 / n, within(1e-12));
        assertThat(summary.get("pass_at_k").asDouble()).isCloseTo(passK / n, within(1e-12));
        assertThat(summary.get("cons_at_k").asDouble()).isCloseTo(cons / n, within(1e-12));
        assertThat(summary.get("tokens_total").asLong()).isEqualTo(tokens);
        JsonNode ci = summary.get("pass_at_1_ci95");
        assertThat(ci.get(0).asDouble()).isLessThanOrEqualTo(pass1 / n);
        assertThat(ci.get(1).asDouble()).isGreaterThanOrEqualTo(pass1 / n);
    }

    private static Map<String, JsonNode> byKey(List<JsonNode> samples) {
        Map<String, JsonNode> m = new HashMap<>();
        samples.forEach(s -> m.put(s.get("id").asText() + "#" + s.get("sample").asInt(), s));
        return m;
    }

    private static List<JsonNode> lines(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            out.add(JSON.readTree(line));
        }
        return out;
    }
}
