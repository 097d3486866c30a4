package r1j.train.recipe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import r1j.train.autograd.Rows;

class TinyR1RecipeTest {

    /** Stage 1 of the shipped recipe continues from the single-question model, read at the new context length. */
    @Test
    void shippedSettings_startFromTheSingleTurnModel_withALongerContext() {
        var s = TinyR1Recipe.Settings.tinyR1(1);
        assertThat(s.model().context()).isGreaterThanOrEqualTo(1024);
        assertThat(TinyR1Recipe.class.getResource(s.init())).isNotNull();
    }

    /** The recipe's plumbing on toy sizes: every stage writes its files, a finished stage is not redone, all ships a model. */
    @Test
    void allStages_writeModelsResultsAndChart(@TempDir Path out) throws Exception {
        var full = TinyR1Recipe.Settings.tinyR1(5);
        var toy = new TinyR1Recipe.Settings(5, full.model().withSize(16, 32, 1, 2, 1), new Sft.Options(16, 4, 3e-3f, 2, 200),
                full.sftMix(), new Grpo.Options(2, 2, 2, 1e-3f, 1f, 8, 0.2f, 0.04f), full.grpoMix(),
                full.model().withSize(8, 16, 1, 2, 1), new Sft.Options(8, 4, 3e-3f, 2, 200), full.distillMix(), 6, 2, 3,
                full.sftChats(), full.grpoChats(), null, List.of(new Sft.Options(8, 4, 1e-3f, 2, 200)));
        var lines = new java.util.ArrayList<String>();
        Progress collect = new Progress() {
            @Override
            public void step(String stage, int step, int total, String metrics) {}

            @Override
            public void info(String line) { lines.add(line); }
        };
        // a random toy teacher solves nothing, so distillation must say so rather than train on nothing
        var recipe = new TinyR1Recipe(toy, out, Rows.SERIAL, collect);
        recipe.run("grpo");
        assertThat(out.resolve("sft.gguf")).exists();
        assertThat(out.resolve("grpo.gguf")).exists();
        assertThat(Files.readString(out.resolve("grpo.html"))).contains("<svg", "Mean response length", "Held-out greedy accuracy, sub-4");
        assertThat(Files.readAllLines(out.resolve("grpo-heldout.csv"))).as("before GRPO and after its last step")
                .containsExactly("step,heldout_greedy_accuracy_sub_4", "0,0.0000", "2,0.0000");
        assertThat(Files.readAllLines(out.resolve("grpo.csv"))).hasSize(3);
        assertThat(Files.readString(out.resolve("results.md"))).contains("| sft | single |", "| sft | turn3 |", "| sft | system |",
                "| sft | offtopic |", "| grpo | sub-4 |");
        lines.clear();
        recipe.run("sft");
        assertThat(lines).anyMatch(l -> l.startsWith("sft: using existing"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> recipe.run("distill"))
                .hasMessageContaining("the teacher solved none");
        // all ships the better of SFT and GRPO (here both solve nothing: a tie goes to GRPO) before distilling
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> recipe.run("all"))
                .hasMessageContaining("the teacher solved none");
        assertThat(Files.readAllBytes(out.resolve("tiny-r1.gguf"))).isEqualTo(Files.readAllBytes(out.resolve("grpo.gguf")));
        assertThat(Files.readString(out.resolve("results.md"))).contains("shipped tiny-r1.gguf = grpo.gguf");
        assertThat(List.of(out.toFile().list())).doesNotContain("sft.ckpt.gguf");
    }
}
