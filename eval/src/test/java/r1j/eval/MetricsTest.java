package r1j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void passAtK_matchesTheBinomialFormula_byHand() {
        // 1 - C(n-c, k) / C(n, k)
        assertThat(Metrics.passAtK(5, 2, 2)).isCloseTo(1 - 3.0 / 10, within(1e-12)); // C(3,2)=3, C(5,2)=10
        assertThat(Metrics.passAtK(10, 3, 1)).isCloseTo(0.3, within(1e-12));
        assertThat(Metrics.passAtK(10, 3, 5)).isCloseTo(1 - 21.0 / 252, within(1e-12)); // C(7,5)=21, C(10,5)=252
        assertThat(Metrics.passAtK(4, 0, 4)).isZero();
        assertThat(Metrics.passAtK(4, 1, 4)).isEqualTo(1.0);
        assertThatThrownBy(() -> Metrics.passAtK(3, 1, 4)).hasMessageContaining("1 <= k <= n");
    }

    @Test
    void majority_groupsEquivalentAnswers_skipsUnanswered_andBreaksTiesByFirstAnswer() {
        List<String> answers = Arrays.asList("3", "1/2", null, "0.5", "3");
        // {3, 3} and {1/2, 0.5} both have two votes; "3" came first
        assertThat(Metrics.majority(answers, MetricsTest::sameNumber)).isZero();
        assertThat(Metrics.majority(Arrays.asList(null, "1/2", "7", "0.5"), MetricsTest::sameNumber)).isEqualTo(1);
        assertThat(Metrics.majority(Arrays.asList(null, null), MetricsTest::sameNumber)).isEqualTo(-1);
    }

    private static boolean sameNumber(String a, String b) {
        return value(a) == value(b);
    }

    private static double value(String s) {
        int slash = s.indexOf('/');
        return slash < 0 ? Double.parseDouble(s) : Double.parseDouble(s.substring(0, slash)) / Double.parseDouble(s.substring(slash + 1));
    }

    @Test
    void wilson95_matchesTheTextbookInterval() {
        double[] ci = Metrics.wilson95(5, 10); // Wilson (1927): 5/10 -> [0.2366, 0.7634]
        assertThat(ci[0]).isCloseTo(0.2366, within(1e-4));
        assertThat(ci[1]).isCloseTo(0.7634, within(1e-4));
        double[] zero = Metrics.wilson95(0, 20); // 0/20 -> [0, z^2/(n+z^2)] = [0, 0.1611]
        assertThat(zero[0]).isZero();
        assertThat(zero[1]).isCloseTo(3.8415 / 23.8415, within(1e-4));
    }

    @Test
    void bootstrap95_isSeeded_bracketsTheMean_andCollapsesWhenAllProblemsAgree() {
        double[] values = {1, 0, 1, 1, 0, 0.5, 1, 0, 1, 1};
        double[] a = Metrics.bootstrap95(values, 7), b = Metrics.bootstrap95(values, 7);
        assertThat(a).containsExactly(b);
        assertThat(a[0]).isLessThan(Metrics.mean(values)).isGreaterThanOrEqualTo(0);
        assertThat(a[1]).isGreaterThan(Metrics.mean(values)).isLessThanOrEqualTo(1);
        // the normal approximation of the mean's spread: sd/sqrt(n) = 0.447/3.16 = 0.141, so a 95% interval of about ±0.28
        assertThat(a[1] - a[0]).isBetween(0.4, 0.7);
        assertThat(Metrics.bootstrap95(new double[] {1, 1, 1}, 1)).containsExactly(1.0, 1.0);
    }
}
