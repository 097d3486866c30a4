package r1j.train.recipe;

import java.util.random.RandomGenerator;
import r1j.train.data.R1Format;
import r1j.train.data.TinyVocab;
import r1j.train.nn.Decoder;
import r1j.train.nn.Params;

/**
 * Samples completions of R1 prompts from the tiny model with its KV-cached {@link Decoder}: greedy when temperature
 * is 0, otherwise softmax sampling at that temperature. Stops at end-of-sentence, the token budget or the context.
 */
public final class Generator {
    private final Params params;
    private final TinyVocab vocab;
    private final Decoder decoder;

    /** A completion: its token ids (without the prompt) and text; {@code finished} when it ended with EOS. */
    public record Completion(int[] promptIds, int[] ids, String text, boolean finished) {}

    public Generator(Params params, TinyVocab vocab) {
        this.params = params;
        this.vocab = vocab;
        this.decoder = new Decoder(params);
    }

    public Completion complete(String question, int maxTokens, float temperature, RandomGenerator rnd) {
        int[] prompt = vocab.encode(R1Format.prompt(question));
        decoder.reset();
        float[] logits = null;
        for (int id : prompt) {
            logits = decoder.step(id);
        }
        int limit = Math.min(maxTokens, params.config().context() - prompt.length);
        int[] out = new int[Math.max(0, limit)];
        int n = 0;
        boolean finished = false;
        while (n < limit) {
            int next = temperature <= 0 ? argmax(logits) : sample(logits, temperature, rnd);
            if (next == vocab.eos()) {
                finished = true;
                break;
            }
            out[n++] = next;
            if (n < limit) {
                logits = decoder.step(next);
            }
        }
        int[] ids = java.util.Arrays.copyOf(out, n);
        return new Completion(prompt, ids, vocab.decode(ids), finished);
    }

    static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    static int sample(float[] logits, float temperature, RandomGenerator rnd) {
        float max = logits[argmax(logits)];
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp((logits[i] - max) / temperature);
            sum += p[i];
        }
        double r = rnd.nextDouble() * sum;
        for (int i = 0; i < p.length; i++) {
            r -= p[i];
            if (r < 0) {
                return i;
            }
        }
        return p.length - 1;
    }
}
