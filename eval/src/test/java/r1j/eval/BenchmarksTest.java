package r1j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarksTest {

    @Test
    void builtIns_haveTheDatasetsSizesAndFields() throws Exception {
        assertThat(Benchmarks.load("aime24", "math").problems()).hasSize(30);
        Benchmark aime25 = Benchmarks.load("aime25", "math");
        assertThat(aime25.problems()).hasSize(30);
        assertThat(aime25.problems().getFirst().answer()).isEqualTo("70"); // 2025 I #1, from the dataset's README
        Benchmark math = Benchmarks.load("math500", "math");
        assertThat(math.problems()).hasSize(500);
        assertThat(math.subset("1").problems()).hasSize(43); // levels 1..5: 43/90/105/128/134
        assertThat(math.subset("Counting & Probability").problems()).hasSize(38);
        Benchmark gsm = Benchmarks.load("gsm8k", "math");
        assertThat(gsm.problems()).hasSize(1319);
        assertThat(gsm.problems().getFirst().answer()).isEqualTo("18"); // Janet's ducks
        assertThat(Benchmarks.load("arithmetic", "math").problems()).hasSize(250);
        assertThat(Benchmarks.load("countdown", "math").problems()).hasSize(100);
    }

    @Test
    void prompt_isTheProblemThenTheR1Instruction_exceptForTheTinyTasks() throws Exception {
        Benchmark math = Benchmarks.load("math500", "math");
        BenchProblem p = math.problems().getFirst();
        assertThat(math.prompt(p)).isEqualTo(p.problem() + "\nPlease reason step by step, and put your final answer within \\boxed{}.");
        Benchmark arith = Benchmarks.load("arithmetic", "math");
        assertThat(arith.prompt(arith.problems().getFirst())).isEqualTo(arith.problems().getFirst().problem());
    }

    @Test
    void badInput_isNamed(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> Benchmarks.load("aime26", "math")).hasMessageContaining("neither a built-in benchmark");
        assertThatThrownBy(() -> Benchmarks.load("math500", "math").subset("topology"))
                .hasMessageContaining("neither a level nor a subject").hasMessageContaining("number theory");
        Path file = dir.resolve("mine.jsonl");
        Files.writeString(file, "{\"id\": \"q1\", \"problem\": \"1+1?\", \"answer\": \"2\"}\n{\"id\": \"q2\", \"problem\": \"x\"}\n");
        assertThatThrownBy(() -> Benchmarks.load(file.toString(), "math")).hasMessageContaining("line 2").hasMessageContaining("\"answer\"");
        Files.writeString(file, "{\"id\": \"q1\", \"problem\": \"1+1?\", \"answer\": \"2\"}\n");
        assertThat(Benchmarks.load(file.toString(), "math").problems()).hasSize(1);
        assertThatThrownBy(() -> Benchmarks.load(file.toString(), "fuzzy")).hasMessageContaining("unknown grader 'fuzzy'");
    }

    @Test
    void countdown_acceptsAnyExpressionOfTheSameNumbersAndValue() {
        Grader g = new Countdown();
        BenchProblem p = new BenchProblem("c", "Use 6, 2, 1 to make 3", "6-(2+1)", 3, "");
        assertThat(g.correct(p, "6-2-1")).isTrue();
        assertThat(g.correct(p, "(6/2)*1")).isTrue();
        assertThat(g.correct(p, "6/2")).isFalse(); // 1 unused
        assertThat(g.correct(p, "6-2+1")).isFalse(); // 5
        assertThat(g.correct(p, "6/(2-2)")).isFalse(); // not the numbers, and no value
    }

    @Test
    void choiceGrader_readsTheLetter() {
        Grader g = Graders.choice();
        assertThat(g.extract("So the answer is \\boxed{\\text{(C)}}.")).isEqualTo("C");
        assertThat(g.extract("Reasoning...\nAnswer: B")).isEqualTo("B");
        assertThat(g.correct(new BenchProblem("q", "?", "C", 0, ""), "C")).isTrue();
    }
}
