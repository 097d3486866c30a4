package r1j.train.autograd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OpsGradientTest {
    private final Random rnd = new Random(7);

    @Test
    void matmul_backwardMatchesFiniteDifferences() {
        Var x = GradCheck.random(rnd, 3, 5, 1), w = GradCheck.random(rnd, 5, 4, 1);
        GradCheck.check(List.of(x, w), t -> Ops.matmul(t, x, w));
    }

    @Test
    void matmul_blockedTilesAndTailsMatchFiniteDifferences() {
        // 9 rows = two 4-row tiles + one; 37 columns = vector tiles + a scalar tail at any vector width up to 512 bits
        Var x = GradCheck.random(rnd, 9, 7, 1), w = GradCheck.random(rnd, 7, 37, 1);
        GradCheck.check(List.of(x, w), t -> Ops.matmul(t, x, w));
    }

    @Test
    void matmul_blockedKernelEqualsRowByColumnSums() {
        Var x = GradCheck.random(rnd, 13, 19, 1), w = GradCheck.random(rnd, 19, 70, 1);
        float[] y = Ops.matmul(new Tape(new ThreadRows(3)), x, w).value();
        for (int t = 0; t < 13; t++) {
            for (int j = 0; j < 70; j++) {
                double s = 0;
                for (int k = 0; k < 19; k++) {
                    s += (double) x.value()[t * 19 + k] * w.value()[k * 70 + j];
                }
                assertThat((double) y[t * 70 + j]).as("y[%d, %d]", t, j).isCloseTo(s, org.assertj.core.api.Assertions.within(1e-4));
            }
        }
    }

    @Test
    void matmul_forwardIsRowTimesMatrix() {
        Var x = new Var(1, 2, new float[] {1, 2}), w = new Var(2, 3, new float[] {1, 2, 3, 4, 5, 6});
        assertThat(Ops.matmul(new Tape(Rows.SERIAL), x, w).value()).containsExactly(9, 12, 15);
    }

    @Test
    void embedding_backwardAccumulatesRepeatedIds() {
        Var table = GradCheck.random(rnd, 6, 3, 1);
        GradCheck.check(List.of(table), t -> Ops.embedding(t, table, new int[] {2, 5, 2, 0}));
    }

    @Test
    void add_backwardMatchesFiniteDifferences() {
        Var a = GradCheck.random(rnd, 2, 3, 1), b = GradCheck.random(rnd, 2, 3, 1);
        GradCheck.check(List.of(a, b), t -> Ops.add(t, a, b));
    }

    @Test
    void rmsNorm_backwardMatchesFiniteDifferences() {
        Var x = GradCheck.random(rnd, 3, 8, 1), w = GradCheck.random(rnd, 1, 8, 1);
        GradCheck.check(List.of(x, w), t -> Ops.rmsNorm(t, x, w, 1e-5f));
    }

    @Test
    void swiGlu_backwardMatchesFiniteDifferences() {
        Var g = GradCheck.random(rnd, 3, 4, 1.5), u = GradCheck.random(rnd, 3, 4, 1);
        GradCheck.check(List.of(g, u), t -> Ops.swiGlu(t, g, u));
    }

    @Test
    void crossEntropy_backwardMatchesFiniteDifferencesAndIgnoresMaskedRows() {
        Var logits = GradCheck.random(rnd, 4, 6, 2);
        int[] targets = {3, -1, 0, 5};
        GradCheck.check(List.of(logits), t -> Ops.crossEntropy(t, logits, targets));
        Tape tape = new Tape(Rows.SERIAL);
        tape.backward(Ops.crossEntropy(tape, logits, targets));
        for (int j = 6; j < 12; j++) {
            assertThat(logits.grad()[j]).isZero();
        }
    }

    @Test
    void crossEntropy_ofUniformLogitsIsLogVocab() {
        Var logits = Var.zeros(2, 8);
        Var loss = Ops.crossEntropy(new Tape(Rows.SERIAL), logits, new int[] {1, 7});
        assertThat(loss.value()[0]).isCloseTo((float) Math.log(8), org.assertj.core.data.Offset.offset(1e-6f));
    }

    @Test
    void rope_backwardMatchesFiniteDifferences() {
        Var x = GradCheck.random(rnd, 6, 8, 1);
        GradCheck.check(List.of(x), t -> Attention.rope(t, x, 3, 4, 10000f));
    }

    @Test
    void rope_atPositionZeroIsIdentityAndPreservesNorm() {
        Var x = GradCheck.random(rnd, 2, 4, 1);
        Var y = Attention.rope(new Tape(Rows.SERIAL), x, 2, 4, 10000f);
        for (int i = 0; i < 4; i++) {
            assertThat(y.value()[i]).isEqualTo(x.value()[i]);
        }
        double nx = 0, ny = 0;
        for (int i = 4; i < 8; i++) {
            nx += x.value()[i] * x.value()[i];
            ny += y.value()[i] * y.value()[i];
        }
        assertThat(ny).isCloseTo(nx, org.assertj.core.data.Offset.offset(1e-5));
    }

    @Test
    void causalAttention_backwardMatchesFiniteDifferencesWithGroupedHeads() {
        int len = 3, seqs = 2, heads = 4, kvHeads = 2, hs = 2;
        Var q = GradCheck.random(rnd, seqs * len, heads * hs, 1);
        Var k = GradCheck.random(rnd, seqs * len, kvHeads * hs, 1);
        Var v = GradCheck.random(rnd, seqs * len, kvHeads * hs, 1);
        GradCheck.check(List.of(q, k, v), t -> Attention.causal(t, q, k, v, heads, kvHeads, hs, len));
    }

    @Test
    void causalAttention_firstPositionReturnsItsOwnValue() {
        Var q = GradCheck.random(rnd, 2, 2, 1), k = GradCheck.random(rnd, 2, 2, 1), v = GradCheck.random(rnd, 2, 2, 1);
        Var y = Attention.causal(new Tape(Rows.SERIAL), q, k, v, 1, 1, 2, 2);
        assertThat(y.value()[0]).isEqualTo(v.value()[0]);
        assertThat(y.value()[1]).isEqualTo(v.value()[1]);
    }
}
