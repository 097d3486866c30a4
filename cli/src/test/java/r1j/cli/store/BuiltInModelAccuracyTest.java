package r1j.cli.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import r1j.train.data.TinyVocab;
import r1j.train.nn.Params;
import r1j.train.recipe.Evaluator;
import r1j.train.recipe.GgufExport;
import r1j.train.task.Problem;
import r1j.train.task.Tasks;

/**
 * The model r1j ships answers at least 90% of held-out problems of each target split (greedy, through r1j's engine),
 * always as {@code <think>…</think>} then {@code \boxed{}}: the same fixed 200-problem sets that
 * {@code r1j train --recipe tiny-r1} reports in results.md and README quotes. A model that forgets how to borrow or
 * carry, or a corrupted resource, fails here.
 */
class BuiltInModelAccuracyTest {

    @TempDir
    Path home;

    @ParameterizedTest(name = "{0}-{1}")
    @CsvSource({"add, 3", "sub, 3", "mul, 3"})
    void builtInModel_solvesAtLeast90PercentOfHeldOutProblems(String family, int level) throws Exception {
        Params model = GgufExport.read(BuiltInModel.file(home));
        List<Problem> test = Tasks.testSet(family, level, 200, 1234);
        Evaluator.Score score = Evaluator.evaluate(model, new TinyVocab(), test, 1, 0f, model.config().context(),
                new SplittableRandom(99), 2);
        assertThat(score.accuracy()).as("%s-%d: %s", family, level, score).isGreaterThanOrEqualTo(0.90);
        assertThat(score.formatOk()).as("think + boxed format").isEqualTo(test.size());
    }
}
