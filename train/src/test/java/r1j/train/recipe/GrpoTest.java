package r1j.train.recipe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import r1j.train.autograd.Rows;
import r1j.train.data.TinyVocab;
import r1j.train.nn.AdamW;
import r1j.train.nn.Params;
import r1j.train.nn.TinyConfig;
import r1j.train.task.Problem;

class GrpoTest {

    /** Dense toy reward: the share of digits in the completion (a random model writes almost none). */
    private static final Grpo.Reward DIGITS = new Grpo.Reward() {
        @Override
        public double reward(Problem p, String completion) {
            if (completion.isEmpty()) {
                return 0;
            }
            return completion.chars().filter(Character::isDigit).count() / (double) completion.length();
        }

        @Override
        public boolean correct(Problem p, String completion) { return reward(p, completion) > 0.5; }
    };

    /** One-digit additions asked the canonical way ({@code What is 3 + 4?}), so the toy's prompts stay short. */
    private static java.util.function.Function<java.util.random.RandomGenerator, Dialogues.Dialogue> toyPrompts() {
        Mixture adds = new Mixture(List.of(new Mixture.Part("add", 1, 1)));
        return rnd -> {
            Problem p = adds.draw(rnd);
            return new Dialogues.Dialogue(p, r1j.train.data.Chat.of(p.question()));
        };
    }

    @Test
    void grpo_rewardGoesUpOnToyTask() {
        TinyVocab vocab = new TinyVocab();
        TinyConfig c = new TinyConfig(16, 32, 1, 2, 1, vocab.size(), 64, 1e-5f, 10000f);
        Params policy = Params.init(c, new SplittableRandom(1));
        Params reference = policy.copy();
        var o = new Grpo.Options(30, 4, 8, 3e-2f, 1f, 6, 0.2f, 0.0f);
        AdamW opt = new AdamW(policy, o.lr(), 3, o.steps(), 1f, 0f, 1f);
        List<Double> rewards = new ArrayList<>();
        Grpo.train(policy, reference, vocab, toyPrompts(), DIGITS, o, opt,
                Rows.SERIAL, new SplittableRandom(2), s -> rewards.add(s.reward()));
        double first = rewards.subList(0, 5).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double last = rewards.subList(25, 30).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertThat(first).isLessThan(0.1);
        assertThat(last).isGreaterThan(0.5);
    }
}
