package r1j.cli.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import r1j.cli.ServedEvaluation;
import r1j.train.recipe.Evaluator;
import r1j.train.recipe.HeldOut;

/**
 * The model r1j ships, asked as a person chats with it through {@code r1j serve} (the server in-process, requests
 * over HTTP to its chat-completions API, greedy): at least 90% of held-out questions answered in each target split
 * (one question with 1–4 digit operands of any mix of lengths, phrased many ways; the third turn of a
 * conversation; a conversation under a system prompt never seen in training), always as {@code <think>…</think>}
 * then {@code \boxed{}}; and a question that is not arithmetic gets the honest plain reply. The first 100
 * conversations of the fixed sets that {@code r1j train --recipe tiny-r1} reports in results.md (200 there).
 */
class BuiltInModelAccuracyTest {
    static final int N = 100;

    static Path home;
    static ServedEvaluation.Served served;

    @BeforeAll
    static void serve() throws Exception {
        home = Files.createTempDirectory("r1j-builtin-accuracy");
        served = ServedEvaluation.serve(BuiltInModel.file(home), 32, 0, 2);
    }

    @AfterAll
    static void stop() throws Exception {
        served.close();
        try (var files = Files.walk(home)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"single", "turn3", "system"})
    void builtInModel_answersAtLeast90PercentOfHeldOutConversations_throughTheServer(String split) throws Exception {
        Evaluator.Score score = ServedEvaluation.evaluate(served.baseUrl(), HeldOut.split(split, N), 512, 32);
        assertThat(score.accuracy()).as("%s: %s", split, score).isGreaterThanOrEqualTo(0.90);
        assertThat(score.formatOk()).as("%s: think + boxed format: %s", split, score).isGreaterThanOrEqualTo(N * 95 / 100);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"offtopic"})
    void builtInModel_repliesHonestlyToQuestionsThatAreNotArithmetic(String split) throws Exception {
        Evaluator.Score score = ServedEvaluation.evaluate(served.baseUrl(), HeldOut.split(split, N), 512, 32);
        assertThat(score.accuracy()).as("%s: %s", split, score).isGreaterThanOrEqualTo(0.90);
    }
}
