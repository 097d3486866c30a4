package r1j.train.recipe;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import r1j.train.autograd.PolicyOps;
import r1j.train.autograd.Rows;
import r1j.train.autograd.Tape;
import r1j.train.autograd.Var;
import r1j.train.data.Example;
import r1j.train.data.R1Format;
import r1j.train.data.TinyVocab;
import r1j.train.nn.AdamW;
import r1j.train.nn.Params;
import r1j.train.nn.Transformer;
import r1j.train.task.Problem;
import r1j.train.task.Verifier;

/**
 * Group Relative Policy Optimisation as in DeepSeek-R1: per prompt, sample a group of G completions from the current
 * policy; reward each with the rule-based verifier (accuracy + format); advantage = (reward - group mean) / group std;
 * maximise the clipped-ratio objective with a KL penalty to the frozen reference (the SFT model). One policy update per
 * batch of rollouts, so old = current policy at sampling time.
 */
public final class Grpo {
    private Grpo() {}

    /**
     * @param steps       policy updates
     * @param prompts     prompts per update
     * @param group       completions per prompt (G)
     * @param lr          peak learning rate
     * @param temperature rollout sampling temperature
     * @param maxTokens   completion budget
     * @param clipEps     ratio clip epsilon
     * @param beta        KL coefficient
     */
    public record Options(int steps, int prompts, int group, float lr, float temperature, int maxTokens,
                          float clipEps, float beta) {}

    /** Per-step log: mean reward, accuracy, mean completion tokens, KL to the reference. */
    public record Step(int step, int steps, double reward, double accuracy, double meanTokens, double kl, int groupsWithSignal) {}

    @FunctionalInterface
    public interface Listener {
        void onStep(Step step);
    }

    /** A rule-based reward and its accuracy part; R1's is {@link Verifier#reward} and {@link Verifier#correct}. */
    public interface Reward {
        double reward(Problem p, String completion);

        boolean correct(Problem p, String completion);

        Reward R1 = new Reward() {
            @Override
            public double reward(Problem p, String completion) { return Verifier.reward(p, completion); }

            @Override
            public boolean correct(Problem p, String completion) { return Verifier.correct(p, completion); }
        };
    }

    private record Rollout(Problem problem, Example example, int promptLength, double reward, boolean correct, int tokens) {}

    public static void train(Params policy, Params reference, TinyVocab vocab,
                             java.util.function.Function<RandomGenerator, Dialogues.Dialogue> tasks, Reward reward, Options o,
                             AdamW opt, Rows rows, RandomGenerator rnd, Listener listener) {
        Generator gen = new Generator(policy, vocab);
        for (int s = opt.steps(); s < o.steps(); s++) {
            List<Rollout> rollouts = new ArrayList<>();
            List<float[]> advantages = new ArrayList<>();
            int withSignal = 0;
            List<Problem> problems = new ArrayList<>();
            List<Generator.Request> requests = new ArrayList<>();
            for (int i = 0; i < o.prompts(); i++) {
                Dialogues.Dialogue d = tasks.apply(rnd);
                Problem p = d.problem();
                problems.add(p);
                requests.add(new Generator.Request(d.chat().prompt(), o.maxTokens(), o.temperature(), Generator.seed(rnd), o.group()));
            }
            List<List<Generator.Completion>> samples = gen.completeAll(requests); // one engine batch per step
            for (int i = 0; i < o.prompts(); i++) {
                Problem p = problems.get(i);
                String prompt = requests.get(i).prompt();
                List<Rollout> group = new ArrayList<>();
                for (Generator.Completion c : samples.get(i)) {
                    String text = c.text() + (c.finished() ? TinyVocab.EOS : "");
                    Example e = R1Format.example(vocab, prompt, text);
                    group.add(new Rollout(p, e, c.promptIds().length, reward.reward(p, c.text()),
                            reward.correct(p, c.text()), c.ids().length));
                }
                double mean = group.stream().mapToDouble(Rollout::reward).average().orElse(0);
                double var = group.stream().mapToDouble(r -> (r.reward() - mean) * (r.reward() - mean)).sum() / group.size();
                double std = Math.sqrt(var);
                if (std > 1e-6) {
                    withSignal++;
                }
                for (Rollout r : group) {
                    rollouts.add(r);
                    advantages.add(new float[] {(float) ((r.reward() - mean) / (std + 1e-4))});
                }
            }
            double kl = update(policy, reference, rollouts, advantages, o, opt, rows);
            listener.onStep(new Step(s + 1, o.steps(),
                    rollouts.stream().mapToDouble(Rollout::reward).average().orElse(0),
                    rollouts.stream().filter(Rollout::correct).count() / (double) rollouts.size(),
                    rollouts.stream().mapToInt(Rollout::tokens).average().orElse(0), kl, withSignal));
        }
    }

    /** One clipped policy-gradient step on the rollouts; returns the mean KL to the reference. */
    private static double update(Params policy, Params reference, List<Rollout> rollouts, List<float[]> advantages,
                                 Options o, AdamW opt, Rows rows) {
        List<Example> examples = rollouts.stream().map(Rollout::example).toList();
        Batches.Batch b = Batches.pack(examples, 0);
        int n = b.ids().length;
        float[] adv = new float[n], weight = new float[n];
        for (int i = 0; i < rollouts.size(); i++) {
            int[] targets = examples.get(i).targets();
            int counted = 0;
            for (int t : targets) {
                counted += t >= 0 ? 1 : 0;
            }
            for (int t = 0; t < targets.length; t++) {
                if (targets[t] >= 0) {
                    adv[i * b.len() + t] = advantages.get(i)[0];
                    weight[i * b.len() + t] = 1f / (rollouts.size() * Math.max(1, counted));
                }
            }
        }
        float[] ref = logProbs(reference, b, rows);
        Tape tape = new Tape(rows);
        Var lp = PolicyOps.tokenLogProbs(tape, Transformer.forward(tape, policy, b.ids(), b.len()), b.targets());
        float[] old = lp.value().clone(); // on-policy: the sampling policy is the current one
        PolicyOps.GrpoStats[] stats = new PolicyOps.GrpoStats[1];
        Var loss = PolicyOps.grpoLoss(tape, lp, new PolicyOps.Grpo(adv, old, ref, weight, o.clipEps(), o.beta()), stats);
        tape.backward(loss);
        opt.step();
        return stats[0].meanKl();
    }

    private static float[] logProbs(Params p, Batches.Batch b, Rows rows) {
        Tape tape = new Tape(rows); // recorded steps are dropped: no backward through the reference
        return PolicyOps.tokenLogProbs(tape, Transformer.forward(tape, p, b.ids(), b.len()), b.targets()).value();
    }
}
