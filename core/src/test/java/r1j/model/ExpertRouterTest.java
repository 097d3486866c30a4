package r1j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link ExpertRouter} against {@link PaperRouting}, the papers' formulas written with sorting. */
class ExpertRouterTest {

    @ParameterizedTest(name = "{0} experts, top {1}, {2}, bias {3}, {4} groups keep {5}, norm {6}")
    @CsvSource({
            "8, 2, SOFTMAX, false, 1, 1, false, 1.0",
            "8, 2, SIGMOID, true, 1, 1, true, 2.5",
            "64, 6, SOFTMAX, false, 8, 3, false, 16.0",   // DeepSeek-V2: group-limited greedy
            "256, 8, SIGMOID, true, 8, 4, true, 2.5",     // DeepSeek-V3: node-limited, bias-corrected
            "16, 4, SIGMOID, false, 4, 1, true, 1.0",
            "32, 3, SOFTMAX, true, 16, 2, true, 1.0"})
    void route_matchesPaperFormulas(int experts, int k, MoeConfig.Gating gating, boolean withBias, int groups, int groupsUsed,
                                    boolean norm, float scale) {
        MoeConfig c = new MoeConfig(experts, k, 1, 16, gating, norm, scale, groups, groupsUsed);
        ExpertRouter router = new ExpertRouter(c);
        SplittableRandom rnd = new SplittableRandom(42);
        int[] chosen = new int[k];
        float[] weights = new float[k];
        for (int trial = 0; trial < 500; trial++) {
            float[] u = new float[experts];
            float[] bias = withBias ? new float[experts] : null;
            double[] ud = new double[experts], bd = withBias ? new double[experts] : null;
            for (int i = 0; i < experts; i++) {
                ud[i] = u[i] = (float) (rnd.nextGaussian() * 2);
                if (withBias) bd[i] = bias[i] = (float) (rnd.nextGaussian() * 0.3);
            }
            router.route(u, 0, bias, chosen, weights, 0);
            PaperRouting.Choice ref = PaperRouting.route(ud, bd, k, gating == MoeConfig.Gating.SIGMOID, norm, scale, groups, groupsUsed);
            assertThat(chosen).as("trial %d", trial).containsExactly(ref.experts());
            for (int j = 0; j < k; j++) assertThat((double) weights[j]).isCloseTo(ref.weights()[j], within(1e-5 * scale));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"SOFTMAX", "SIGMOID"})
    void route_groupLimitKeepsOutExpertsOfDroppedGroups(MoeConfig.Gating gating) {
        // group 1 holds the single best expert, group 0 the next three: limiting to one group must pick group 0 under
        // sigmoid (sum of the best two) but group 1 under softmax (best one)
        float[] u = {3.0f, 2.9f, -5f, -5f, 3.2f, -5f, -5f, -5f};
        MoeConfig c = new MoeConfig(8, 2, 0, 4, gating, false, 1f, 2, 1);
        int[] chosen = new int[2];
        new ExpertRouter(c).route(u, 0, null, chosen, new float[2], 0);
        if (gating == MoeConfig.Gating.SIGMOID) assertThat(chosen).containsExactly(0, 1);
        else assertThat(chosen).containsExactly(4, 5);
    }
}
