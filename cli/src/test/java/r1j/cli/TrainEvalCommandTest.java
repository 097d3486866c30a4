package r1j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import r1j.train.data.TinyVocab;
import r1j.train.nn.Params;
import r1j.train.nn.TinyConfig;
import r1j.train.recipe.GgufExport;

class TrainEvalCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void eval_scoresAnUntrainedTrainerModel_onTheEnginePath(@TempDir Path dir) throws Exception {
        TinyVocab vocab = new TinyVocab();
        Path model = dir.resolve("m.gguf");
        GgufExport.write(Params.init(new TinyConfig(8, 16, 1, 2, 1, vocab.size(), 256, 1e-5f, 10000f), new SplittableRandom(1)),
                vocab, "toy", "untrained toy", model);
        int rc = run("eval", "--bench", "countdown", "-m", model.toString(), "--limit", "2", "-k", "1",
                "--out", dir.resolve("run").toString(), "--quiet");
        assertThat(rc).as(err.toString()).isZero();
        // an untrained model answers nothing: 0% with its interval
        assertThat(out.toString()).contains("countdown", "0.0% [0.0, 0.0]");
    }

    @Test
    void evalChat_postsHeldOutConversationsToAnInProcessServer_andScoresEverySplit(@TempDir Path dir) throws Exception {
        TinyVocab vocab = new TinyVocab();
        Path model = dir.resolve("m.gguf");
        GgufExport.write(Params.init(new TinyConfig(8, 16, 1, 2, 1, vocab.size(), 1024, 1e-5f, 10000f), new SplittableRandom(1)),
                vocab, "toy", "untrained toy", model);
        int rc = run("eval", "--bench", "chat", "-m", model.toString(), "--limit", "2");
        assertThat(rc).as(err.toString()).isZero();
        // an untrained model answers nothing, through the server as directly
        assertThat(out.toString()).contains("through r1j serve", "single ", "turn3 ", "system ", "offtopic ", "sub-4 ",
                "0.0% [0.0,");
    }

    @Test
    void train_rejectsUnknownRecipeAndStage() {
        assertThat(run("train", "--recipe", "gpt-5")).isEqualTo(2);
        assertThat(err.toString()).contains("the only recipe is tiny-r1");
        assertThat(run("train", "--stage", "rlhf")).isEqualTo(2);
        assertThat(err.toString()).contains("use sft, grpo, distill or all");
    }
}
