package r1j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import r1j.cli.chat.ChatRepl;
import r1j.cli.chat.ReplyJson;
import r1j.engine.FinishReason;
import r1j.engine.Usage;
import r1j.model.GoldenModels;
import r1j.tokenizer.Tokenizer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code r1j generate -p TEXT} on the golden qwen2-tiny model: the chat prompt is llama.cpp's golden greedy prompt,
 * so the greedy continuation must be llama.cpp's greedy ids, decoded; R1 prompts end inside {@code <think>}, so that
 * text is reasoning until the thinking budget closes the thought.
 */
class GenerateTextTest {

    private static final String VARIANT = "qwen2-tiny";
    private static final String TYPE = "Q8_0";
    private static final String QUESTION = "What is 12+7? Answer briefly.";
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Run(int rc, String out, String err) {
    }

    private static Run run(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        GenerateCommand generate = new GenerateCommand();
        generate.stdin = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        CommandLine cl = new CommandLine(generate);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute(args);
        return new Run(rc, out.toString(), err.toString());
    }

    private static Path model() {
        return GoldenModels.model(VARIANT, TYPE);
    }

    /** llama.cpp's first {@code n} greedy tokens for the golden prompt, as text. */
    private static String goldenGreedyText(int n) {
        JsonNode manifest = GoldenModels.manifest(VARIANT);
        assertThat(manifest.path("greedy").path("prompt_text").asText()).contains(QUESTION).endsWith("<think>\n");
        int[] ids = GoldenModels.ints(manifest.path("types").path(TYPE).path("dequantized_f32_math").path("greedy_ids"),
                "greedy_ids");
        return Tokenizer.load(model(), null).decode(Arrays.copyOf(ids, n));
    }

    @Test
    void json_greedy_reasoningIsLlamaCppsContinuation_andUsageCountsIt() throws IOException {
        Run r = run("", "-m", model().toString(), "-p", QUESTION, "--greedy", "-n", "8", "--json");

        assertThat(r.rc()).as(r.err()).isZero();
        assertThat(r.out().strip().lines()).hasSize(1);
        JsonNode reply = JSON.readTree(r.out());
        assertThat(reply.path("reasoning").asText()).isEqualTo(goldenGreedyText(8));
        assertThat(reply.path("answer").asText()).isEmpty();
        assertThat(reply.path("finish_reason").asText()).isEqualTo("length");
        int promptTokens = GoldenModels.manifest(VARIANT).path("greedy").path("prompt_ids").size();
        assertThat(reply.path("usage").path("prompt_tokens").asInt()).isEqualTo(promptTokens);
        assertThat(reply.path("usage").path("completion_tokens").asInt()).isEqualTo(8);
        assertThat(reply.path("usage").path("completion_tokens_details").path("reasoning_tokens").asInt()).isEqualTo(8);
        assertThat(reply.path("usage").path("total_tokens").asInt()).isEqualTo(promptTokens + 8);
    }

    @Test
    void json_budget_closesTheThought_thenTheAnswerIsSeparate() throws IOException {
        Run r = run("", "-m", model().toString(), "-p", QUESTION, "--greedy", "--budget", "3", "-n", "16",
                "--ignore-eos", "--json");

        assertThat(r.rc()).as(r.err()).isZero();
        JsonNode reply = JSON.readTree(r.out());
        assertThat(reply.path("reasoning").asText()).isEqualTo(goldenGreedyText(3));
        assertThat(reply.path("answer").asText()).isNotEmpty().doesNotContain("</think>").doesNotContain("<think>");
        assertThat(reply.path("usage").path("completion_tokens_details").path("reasoning_tokens").asInt()).isEqualTo(3);
    }

    @Test
    void plain_promptFromStdin_reasoningGoesToStderr_answerToStdout() {
        Run r = run(QUESTION, "-m", model().toString(), "--greedy", "--budget", "3", "-n", "16", "--ignore-eos",
                "--stats");

        assertThat(r.rc()).as(r.err()).isZero();
        assertThat(r.err()).startsWith(goldenGreedyText(3) + "\n\n").contains("generated: 16 tokens (3 reasoning)");
        assertThat(r.out()).isNotBlank().endsWith("\n").doesNotContain(goldenGreedyText(3));
    }

    @Test
    void hideThinking_printsOnlyTheAnswer() {
        Run r = run("", "-m", model().toString(), "-p", QUESTION, "--greedy", "-n", "8", "--hide-thinking");

        assertThat(r.rc()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEmpty();
    }

    @Test
    void noPrompt_saysHowToGiveOne() {
        Run r = run("  \n", "-m", model().toString());

        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err()).contains("no prompt: pass -p TEXT or pipe the text to stdin");
    }

    @Test
    void badSamplingValue_namesTheFlagRange() {
        Run r = run("", "-m", model().toString(), "-p", "hi", "--top-p", "1.5");

        assertThat(r.rc()).isNotZero();
        assertThat(r.err()).contains("top_p 1.5 is out of range [0, 1]");
    }

    @Test
    void replyJson_isOneLineWithApiUsageNames() {
        ChatRepl.Reply reply = new ChatRepl.Reply("Add them.", "19", new Usage(27, 4, 10, 7, Duration.ofMillis(120),
                Duration.ofMillis(1120)), FinishReason.STOP);

        assertThat(ReplyJson.format(reply)).isEqualTo("{\"reasoning\":\"Add them.\",\"answer\":\"19\",\"finish_reason\":"
                + "\"stop\",\"usage\":{\"prompt_tokens\":27,\"completion_tokens\":10,\"total_tokens\":37,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":4},\"completion_tokens_details\":{\"reasoning_tokens\":7},"
                + "\"time_to_first_token_ms\":120,\"elapsed_ms\":1120,\"tokens_per_second\":9.0}}");
    }
}
