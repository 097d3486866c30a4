package r1j.train.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import r1j.train.data.R1Format;
import r1j.train.data.TinyVocab;
import r1j.train.nn.Decoder;
import r1j.train.nn.Params;
import r1j.train.nn.TinyConfig;

/**
 * The engine-backed generator against the trainer's own single-sequence {@link Decoder}: two independent inference
 * implementations of the same network must pick the same greedy tokens.
 */
class GeneratorTest {
    private static final int THREADS = 2;
    private final TinyVocab vocab = new TinyVocab();
    private final List<String> questions = List.of("What is 347 + 589?", "Compute 12 x 34.", "Subtract 958 from 440.",
            "Use 3, 5, 7, 9 to make 24", "What is 5 + 7?");

    /** Random weights scaled up so logits are far apart and an argmax cannot flip on rounding differences. */
    private static Params spreadWeights(TinyConfig c, long seed) {
        Params p = Params.init(c, new SplittableRandom(seed));
        SplittableRandom rnd = new SplittableRandom(seed + 1);
        p.tensors().forEach((name, v) -> {
            for (int i = 0; i < v.size(); i++) {
                v.value()[i] = Params.isNorm(name) ? (float) (1 + 0.2 * rnd.nextGaussian()) : v.value()[i] * 12;
            }
        });
        return p;
    }

    private TinyConfig config(int context) {
        return new TinyConfig(32, 64, 2, 4, 2, vocab.size(), context, 1e-5f, 10000f);
    }

    /** Greedy decoding with the KV-cached {@link Decoder}: generated ids, EOS included when produced. */
    private int[] decoderGreedy(Params p, String question, int maxTokens) {
        Decoder d = new Decoder(p);
        int[] prompt = vocab.encode(R1Format.prompt(question));
        float[] logits = null;
        for (int id : prompt) {
            logits = d.step(id);
        }
        int limit = Math.min(maxTokens, p.config().context() - prompt.length);
        List<Integer> out = new ArrayList<>();
        while (out.size() < limit) {
            int next = 0;
            for (int i = 1; i < logits.length; i++) {
                next = logits[i] > logits[next] ? i : next;
            }
            out.add(next);
            if (next == vocab.eos()) {
                break;
            }
            if (out.size() < limit) {
                logits = d.step(next);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private int[] withEos(Generator.Completion c) {
        if (!c.finished()) {
            return c.ids();
        }
        int[] ids = Arrays.copyOf(c.ids(), c.ids().length + 1);
        ids[c.ids().length] = vocab.eos();
        return ids;
    }

    private List<Generator.Request> requests(float temperature, int maxTokens, long seed, int n) {
        List<Generator.Request> out = new ArrayList<>();
        for (int i = 0; i < questions.size(); i++) {
            out.add(new Generator.Request(R1Format.prompt(questions.get(i)), maxTokens, temperature, seed + 1000L * i, n));
        }
        return out;
    }

    @Test
    void completeAll_greedy_equalsDecoderTokenForToken() {
        for (int context : new int[] {64, 384}) { // 64: the context, not maxTokens, ends the longer prompts
            Params p = spreadWeights(config(context), 3 + context);
            List<List<Generator.Completion>> got = new Generator(p, vocab, THREADS).completeAll(requests(0f, 60, 1, 1));
            for (int i = 0; i < questions.size(); i++) {
                Generator.Completion c = got.get(i).getFirst();
                assertThat(withEos(c)).as("context %d, %s", context, questions.get(i))
                        .containsExactly(decoderGreedy(p, questions.get(i), 60));
                assertThat(c.promptIds()).containsExactly(vocab.encode(R1Format.prompt(questions.get(i))));
                assertThat(c.text()).isEqualTo(vocab.decode(c.ids()));
                if (context == 64) { // these weights never pick EOS: every sample runs to the end of the context
                    assertThat(c.ids()).hasSize(context - c.promptIds().length);
                }
            }
        }
    }

    @Test
    void completeAll_sameSeed_sameSamples_whateverElseIsInTheBatch() {
        Params p = spreadWeights(config(128), 5);
        Generator gen = new Generator(p, vocab, THREADS);
        Generator.Request alone = new Generator.Request(R1Format.prompt(questions.getFirst()), 40, 1f, 77, 4);
        List<Generator.Completion> first = gen.completeAll(List.of(alone)).getFirst();
        List<Generator.Request> batch = new ArrayList<>(requests(1f, 40, 9, 3));
        batch.add(2, alone);
        List<Generator.Completion> inBatch = gen.completeAll(batch).get(2);
        assertThat(inBatch).hasSize(4);
        for (int i = 0; i < 4; i++) {
            assertThat(inBatch.get(i).ids()).as("sample %d", i).containsExactly(first.get(i).ids());
            assertThat(inBatch.get(i).finished()).isEqualTo(first.get(i).finished());
        }
        // the samples of a group differ: sample i uses seed + i
        assertThat(first.stream().map(c -> Arrays.toString(c.ids())).distinct()).hasSizeGreaterThan(1);
        List<Generator.Completion> other = gen.completeAll(List.of(new Generator.Request(R1Format.prompt(questions.getFirst()), 40, 1f, 78, 4))).getFirst();
        assertThat(other.getFirst().ids()).as("seed 78 = sample 1 of seed 77").containsExactly(first.get(1).ids());
    }

    @Test
    void completeAll_batch_equalsOneRequestAtATime() {
        Params p = spreadWeights(config(128), 6);
        Generator gen = new Generator(p, vocab, THREADS);
        List<Generator.Request> rs = requests(0.8f, 30, 21, 2);
        List<List<Generator.Completion>> batch = gen.completeAll(rs);
        assertThat(batch).hasSize(rs.size());
        for (int i = 0; i < rs.size(); i++) {
            List<Generator.Completion> single = gen.completeAll(List.of(rs.get(i))).getFirst();
            for (int s = 0; s < 2; s++) {
                assertThat(batch.get(i).get(s).ids()).as("request %d sample %d", i, s).containsExactly(single.get(s).ids());
            }
        }
    }

    /**
     * A hand-built bigram model: layers contribute nothing, so each position's logits depend only on its token.
     * The prompt's last token points to digit A, and A points to EOS: greedy output is exactly "A" then EOS.
     */
    @Test
    void complete_stopsAtEos_andRespectsMaxTokens() {
        TinyConfig c = config(64);
        Params p = Params.zeros(c);
        p.tensors().forEach((name, v) -> {
            if (Params.isNorm(name)) {
                Arrays.fill(v.value(), 1f);
            }
        });
        String question = "What is 5 + 7?";
        int[] prompt = vocab.encode(R1Format.prompt(question));
        int last = prompt[prompt.length - 1];
        int a = vocab.encode("7")[0];
        float[] embd = p.get("token_embd.weight").value(); // [vocab][dim]
        for (int t = 0; t < c.vocab(); t++) {
            embd[t * c.dim() + 2] = 1f;
        }
        embd[last * c.dim() + 2] = 0f;
        embd[last * c.dim()] = 1f;
        embd[a * c.dim() + 2] = 0f;
        embd[a * c.dim() + 1] = 1f;
        float[] out = p.get("output.weight").value(); // [dim][vocab]
        out[a] = 1f;                         // dimension 0 (the prompt's last token) -> A
        out[c.vocab() + vocab.eos()] = 1f;   // dimension 1 (A) -> EOS
        Generator gen = new Generator(p, vocab, THREADS);

        Generator.Completion done = gen.complete(question, 5, 0f, new SplittableRandom(1));
        assertThat(done.ids()).containsExactly(a);
        assertThat(done.finished()).isTrue();
        assertThat(done.text()).isEqualTo("7");

        Generator.Completion cut = gen.complete(question, 1, 0f, new SplittableRandom(1));
        assertThat(cut.ids()).containsExactly(a);
        assertThat(cut.finished()).as("EOS would be token 2 of a 1-token budget").isFalse();
    }

    @Test
    void completeAll_unfinishedSamples_useTheWholeBudget() {
        Params p = spreadWeights(config(384), 8);
        List<List<Generator.Completion>> got = new Generator(p, vocab, THREADS).completeAll(requests(1f, 17, 4, 3));
        for (List<Generator.Completion> group : got) {
            for (Generator.Completion c : group) {
                assertThat(c.ids().length).isLessThanOrEqualTo(c.finished() ? 16 : 17);
                if (!c.finished()) {
                    assertThat(c.ids()).hasSize(17);
                }
            }
        }
    }

    @Test
    void request_rejectsTheEnginesRandomSeedValue() {
        assertThatThrownBy(() -> new Generator.Request("q", 10, 1f, -1, 1)).hasMessageContaining("seed -1");
        assertThat(Generator.seed(new SplittableRandom(1))).isNotNegative();
    }
}
