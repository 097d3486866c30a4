package r1j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import r1j.cli.store.ModelStoreException;
import r1j.model.Batch;
import r1j.model.KvCache;
import r1j.model.LanguageModel;
import r1j.model.ModelLoadException;
import r1j.model.ModelLoader;

/**
 * {@code r1j generate -m FILE --tokens 1,2,3 -n 24 --greedy --ids}: continues a token sequence the way llama.cpp's
 * greedy reference does — the prompt as one batch, then one token at a time through the KV cache, argmax with the
 * lowest id winning ties, exactly {@code n} tokens (end-of-sequence does not stop it) — and prints the new ids on one
 * line, space separated.
 *
 * <p>Options are fields so that text prompts and sampling flags can join them; each step of the run is its own method.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate tokens from a model. Today: token ids in (--tokens), greedy ids out (--greedy --ids).")
public final class GenerateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "FILE", description = "GGUF model file.")
    String model;

    @Option(names = "--tokens", required = true, split = ",", paramLabel = "IDS", description = "Prompt as comma-separated token ids.")
    int[] tokens;

    @Option(names = {"-n", "--max-tokens"}, defaultValue = "128", paramLabel = "N", description = "Tokens to generate (default ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--greedy", description = "Pick the most likely token at every step (lowest id on ties).")
    boolean greedy;

    @Option(names = "--ids", description = "Print the generated token ids, space separated, on one line.")
    boolean ids;

    @Option(names = "--stats", description = "Print prefill and decode speed to stderr.")
    boolean stats;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!greedy) return usageError(err, "only greedy decoding is available for --tokens input: add --greedy");
        if (!ids) return usageError(err, "--tokens input prints token ids: add --ids");
        if (maxTokens < 0) return usageError(err, "-n must be ≥ 0, got " + maxTokens);
        if (tokens.length == 0) return usageError(err, "--tokens needs at least one id");
        try (LanguageModel lm = ModelLoader.load(LogitsCommand.resolveModel(model))) {
            int[] generated = generateGreedy(lm, err);
            out.println(joinIds(generated));
            out.flush();
            return 0;
        } catch (IOException | ModelLoadException | ModelStoreException | IllegalArgumentException e) {
            err.println("r1j generate: " + e.getMessage());
            return 1;
        }
    }

    /** Prompt in one batch (logits of the last row only), then {@code maxTokens} greedy steps. */
    int[] generateGreedy(LanguageModel lm, PrintWriter err) {
        int vocab = lm.config().vocab();
        KvCache cache = lm.newCache(1, tokens.length + maxTokens);
        float[] logits = new float[vocab];
        int[] generated = new int[maxTokens];
        if (maxTokens == 0) return generated;
        long t0 = System.nanoTime();
        lm.forward(Batch.ofSequence(tokens, 0, false), cache, logits);
        long t1 = System.nanoTime();
        for (int s = 0; s < maxTokens; s++) {
            generated[s] = argmax(logits, vocab);
            if (s + 1 < maxTokens) {
                lm.forward(Batch.ofSequence(new int[] {generated[s]}, tokens.length + s, true), cache, logits);
            }
        }
        long t2 = System.nanoTime();
        if (stats) {
            err.println(String.format(Locale.ROOT, "prefill: %d tokens, %.1f tokens/s; decode: %d tokens, %.1f tokens/s",
                    tokens.length, tokens.length / ((t1 - t0) / 1e9),
                    maxTokens - 1, (maxTokens - 1) / Math.max(1e-9, (t2 - t1) / 1e9)));
        }
        return generated;
    }

    /** The index of the largest logit; the lowest index wins ties, as in llama.cpp's greedy sampler. */
    static int argmax(float[] logits, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) if (logits[i] > logits[best]) best = i;
        return best;
    }

    private static String joinIds(int[] ids) {
        StringJoiner j = new StringJoiner(" ");
        for (int id : ids) j.add(Integer.toString(id));
        return j.toString();
    }

    private static int usageError(PrintWriter err, String message) {
        err.println("r1j generate: " + message);
        return 2;
    }
}
