package r1j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Figures of a hand-made run of 3 problems x 3 samples, computed by hand. */
class SummaryTest {

    @Test
    void summary_computesPass1ConsAndPassK_perLevelToo() {
        Benchmark bench = new Benchmark("toy", List.of(
                new BenchProblem("a", "1+1?", "2", 1, "Algebra"),
                new BenchProblem("b", "2+2?", "4", 1, "Algebra"),
                new BenchProblem("c", "3+3?", "6", 2, "Geometry")), Graders.math(), true);
        List<SampleRecord> rs = new ArrayList<>();
        // a: 2 right of 3, majority "2" right; b: 1 right of 3, majority "5" (two votes) wrong; c: none answered
        add(rs, "a", 0, "2", true, 10);
        add(rs, "a", 1, "3", false, 20);
        add(rs, "a", 2, "2", true, 30);
        add(rs, "b", 0, "5", false, 40);
        add(rs, "b", 1, "4", true, 50);
        add(rs, "b", 2, "5", false, 60);
        add(rs, "c", 0, null, false, 70);
        add(rs, "c", 1, null, false, 80);
        add(rs, "c", 2, null, false, 90);
        Summary s = Summary.of(bench, "m", 3, rs, 1);
        assertThat(s.problems()).isEqualTo(3);
        assertThat(s.passAt1().value()).isCloseTo((2 / 3.0 + 1 / 3.0 + 0) / 3, within(1e-12));
        assertThat(s.consAtK().value()).isCloseTo(1 / 3.0, within(1e-12));
        assertThat(s.passAtK().value()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(s.byLevel().get("1").value()).isCloseTo(0.5, within(1e-12));
        assertThat(s.byLevel().get("2").value()).isZero();
        assertThat(s.bySubject()).containsOnlyKeys("Algebra", "Geometry");
        assertThat(s.tokens().total()).isEqualTo(450);
        assertThat(s.tokens().right().mean()).isCloseTo((10 + 30 + 50) / 3.0, within(1e-12));
        assertThat(s.tokens().wrong().median()).isEqualTo((60 + 70) / 2.0); // wrong: 20 40 60 70 80 90
        assertThat(s.passAt1().lo()).isLessThanOrEqualTo(s.passAt1().value());
        assertThat(s.passAt1().hi()).isGreaterThanOrEqualTo(s.passAt1().value());
    }

    @Test
    void summary_countsOnlyProblemsWithAllSamples() {
        Benchmark bench = new Benchmark("toy", List.of(new BenchProblem("a", "q", "1", 0, ""),
                new BenchProblem("b", "q", "1", 0, "")), Graders.math(), true);
        List<SampleRecord> rs = new ArrayList<>();
        add(rs, "a", 0, "1", true, 5);
        add(rs, "a", 1, "1", true, 5);
        add(rs, "b", 0, "1", true, 5);
        Summary s = Summary.of(bench, "m", 2, rs, 1);
        assertThat(s.problems()).isEqualTo(1);
        assertThat(s.incomplete()).isEqualTo(1);
    }

    private static void add(List<SampleRecord> rs, String id, int i, String extracted, boolean correct, int tokens) {
        rs.add(new SampleRecord(id, i, "q", "", "", extracted, "", correct, tokens, 0.1, "stop"));
    }
}
