package r1j.train.autograd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PolicyOpsGradientTest {
    private final Random rnd = new Random(11);

    @Test
    void tokenLogProbs_backwardMatchesFiniteDifferences() {
        Var logits = GradCheck.random(rnd, 4, 5, 1.5);
        int[] targets = {1, -1, 4, 0};
        GradCheck.check(List.of(logits), t -> PolicyOps.tokenLogProbs(t, logits, targets));
    }

    @Test
    void grpoLoss_backwardMatchesFiniteDifferencesInsideTheClipRange() {
        Var logits = GradCheck.random(rnd, 4, 5, 1.0);
        int[] targets = {1, 2, 4, 0};
        // old log-probs near the current ones keep every ratio inside [1 - eps, 1 + eps], where the loss is smooth
        Tape probe = new Tape(Rows.SERIAL);
        float[] now = PolicyOps.tokenLogProbs(probe, logits, targets).value().clone();
        float[] old = new float[4], ref = new float[4];
        for (int i = 0; i < 4; i++) {
            old[i] = now[i] + 0.05f * (i - 1.5f);
            ref[i] = now[i] - 0.3f + 0.2f * i;
        }
        var g = new PolicyOps.Grpo(new float[] {1.2f, -0.7f, 0.4f, -1.1f}, old, ref, new float[] {0.25f, 0.25f, 0.5f, 0f}, 0.2f, 0.1f);
        GradCheck.check(List.of(logits), t -> PolicyOps.grpoLoss(t, PolicyOps.tokenLogProbs(t, logits, targets), g, null));
    }

    @Test
    void grpoLoss_ignoresTokensWhoseRatioIsClipped() {
        Var lp = new Var(1, 1, new float[] {0f});
        // ratio e^1 > 1.2 with positive advantage: the clipped branch is the min, so no gradient flows
        var g = new PolicyOps.Grpo(new float[] {1f}, new float[] {-1f}, new float[] {0f}, new float[] {1f}, 0.2f, 0f);
        Tape tape = new Tape(Rows.SERIAL);
        Var loss = PolicyOps.grpoLoss(tape, lp, g, null);
        tape.backward(loss);
        assertThat(lp.grad()[0]).isZero();
        assertThat(loss.value()[0]).isEqualTo(-1.2f);
    }

    @Test
    void grpoLoss_onPolicyGradientIsAdvantageWeightedLogLikelihood() {
        Var lp = new Var(2, 1, new float[] {-1f, -2f});
        var g = new PolicyOps.Grpo(new float[] {0.5f, -2f}, new float[] {-1f, -2f}, new float[] {-1f, -2f},
                new float[] {1f, 1f}, 0.2f, 0.04f);
        Tape tape = new Tape(Rows.SERIAL);
        tape.backward(PolicyOps.grpoLoss(tape, lp, g, null));
        assertThat(lp.grad()).containsExactly(-0.5f, 2f);
    }
}
