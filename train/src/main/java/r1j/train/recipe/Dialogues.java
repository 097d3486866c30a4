package r1j.train.recipe;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import r1j.train.data.Chat;
import r1j.train.data.R1Format;
import r1j.train.data.SystemPrompts;
import r1j.train.task.Problem;
import r1j.train.task.Tasks;

/**
 * Conversations around a problem, the way people chat with the model: the question alone or after earlier turns
 * (their answers in the history as the R1 template keeps them, the reasoning dropped), with or without a system
 * prompt.
 *
 * @param system   share of conversations with a system prompt
 * @param turns    relative weights of 1, 2, 3, … user turns (this question included)
 * @param offTopic share of questions that are not arithmetic (answered with the honest plain reply)
 */
public record Dialogues(double system, double[] turns, double offTopic) {

    /** A problem and the conversation that asks it. */
    public record Dialogue(Problem problem, Chat chat) {}

    /** Share of earlier replies kept with the blank line that follows {@code </think>} (a client sending back the raw text). */
    static final double RAW_REPLY = 0.15;

    /** Share of earlier turns that were off-topic small talk. */
    static final double EARLIER_OFF_TOPIC = 0.1;

    public Dialogues {
        if (turns.length == 0 || !(system >= 0 && system <= 1) || !(offTopic >= 0 && offTopic <= 1)) {
            throw new IllegalArgumentException("need turn weights and shares in [0, 1]");
        }
        turns = turns.clone();
    }

    /** One question alone: no system prompt, no history. */
    public static final Dialogues SINGLE = new Dialogues(0, new double[] {1}, 0);

    /** A training conversation: the question from {@code tasks} (or off-topic), earlier turns from the mixed family. */
    public Dialogue draw(RandomGenerator rnd, Mixture tasks) {
        Problem p = rnd.nextDouble() < offTopic ? Tasks.draw(rnd, "offtopic", 1, Tasks.Side.TRAIN) : tasks.draw(rnd);
        String sys = rnd.nextDouble() < system ? SystemPrompts.train(rnd) : "";
        return new Dialogue(p, new Chat(sys, earlier(rnd, pickTurns(rnd) - 1, Tasks.Side.TRAIN), p.question(rnd)));
    }

    private int pickTurns(RandomGenerator rnd) {
        double total = 0;
        for (double w : turns) {
            total += w;
        }
        double r = rnd.nextDouble() * total;
        for (int i = 0; i < turns.length; i++) {
            r -= turns[i];
            if (r < 0) {
                return i + 1;
            }
        }
        return turns.length;
    }

    /** {@code n} earlier turns: mixed arithmetic (now and then small talk) and the replies the template keeps. */
    static List<Chat.Turn> earlier(RandomGenerator rnd, int n, Tasks.Side side) {
        List<Chat.Turn> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Problem q = rnd.nextDouble() < EARLIER_OFF_TOPIC ? Tasks.draw(rnd, "offtopic", 1, side)
                    : Tasks.draw(rnd, "mixed", 4, side);
            String reply = R1Format.reply(q);
            out.add(new Chat.Turn(q.question(rnd), rnd.nextDouble() < RAW_REPLY ? "\n\n" + reply : reply));
        }
        return out;
    }

    /**
     * A fixed held-out set: {@code problems} (from the test side) each asked after {@code earlierTurns} earlier turns
     * (test side too), with a held-out system prompt when {@code withSystem}; phrasings drawn from a seeded generator.
     */
    public static List<Dialogue> heldOut(List<Problem> problems, int earlierTurns, boolean withSystem, long seed) {
        RandomGenerator rnd = new java.util.SplittableRandom(seed);
        List<Dialogue> out = new ArrayList<>();
        for (Problem p : problems) {
            String sys = withSystem ? SystemPrompts.HELD_OUT.get(rnd.nextInt(SystemPrompts.HELD_OUT.size())) : "";
            int n = earlierTurns >= 0 ? earlierTurns : rnd.nextInt(3); // −1: 0 to 2 earlier turns
            out.add(new Dialogue(p, new Chat(sys, earlier(rnd, n, Tasks.Side.TEST), p.question(rnd))));
        }
        return out;
    }
}
