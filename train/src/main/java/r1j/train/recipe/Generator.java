package r1j.train.recipe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import r1j.engine.Choice;
import r1j.engine.Engine;
import r1j.engine.EngineOptions;
import r1j.engine.GenerationHandle;
import r1j.engine.GenerationListener;
import r1j.engine.GenerationRequest;
import r1j.engine.Prompt;
import r1j.model.KvCacheType;
import r1j.sample.SamplerSettings;
import r1j.train.data.R1Format;
import r1j.train.data.TinyVocab;
import r1j.train.nn.Params;

/**
 * Samples completions of R1 prompts from the tiny model on r1j's own {@link Engine}, loaded exactly as a downloaded
 * model is: the current parameters are exported to a temporary GGUF ({@link GgufExport#write}), opened with
 * {@link Engine#load}, and every request of a batch is submitted at once so all samples decode in one continuous
 * batch (a request's {@code n} samples share its prefill). Each call snapshots the parameters as they are then, so a
 * policy that changes between GRPO steps is always sampled as it currently is.
 *
 * <p>Sampling is pure temperature sampling (no top-k/top-p/min-p/penalties), greedy at temperature 0. Sample
 * {@code i} of a request uses seed {@code seed + i} (the engine's rule), and each sequence's logits do not depend on
 * what else is in the batch, so a request's seed alone fixes its completions.
 */
public final class Generator {
    /** Most sequences decoded together; more requests wait in the engine's queue for a free slot. */
    static final int MAX_PARALLEL = 256;

    private final Params params;
    private final TinyVocab vocab;
    private final int threads;

    /** A completion: its token ids (without the prompt) and text; {@code finished} when it ended with EOS. */
    public record Completion(int[] promptIds, int[] ids, String text, boolean finished) {}

    /**
     * One prompt to sample.
     *
     * @param prompt      the rendered prompt ({@link R1Format#prompt(String)} of a question, or
     *                    {@link r1j.train.data.Chat#prompt()} of a conversation)
     * @param maxTokens   most completion tokens (EOS included); the context may stop it earlier
     * @param temperature softmax temperature, 0 for greedy
     * @param seed        fixes the samples: sample {@code i} uses {@code seed + i}; any value but −1
     * @param n           samples of this prompt (a GRPO group)
     */
    public record Request(String prompt, int maxTokens, float temperature, long seed, int n) {
        public Request {
            java.util.Objects.requireNonNull(prompt, "prompt");
            if (maxTokens < 1) {
                throw new IllegalArgumentException("maxTokens %d must be at least 1".formatted(maxTokens));
            }
            if (!(temperature >= 0)) {
                throw new IllegalArgumentException("temperature %s must be >= 0".formatted(temperature));
            }
            if (seed == SamplerSettings.RANDOM_SEED) {
                throw new IllegalArgumentException("seed -1 means 'random' to the engine; draw seeds with Generator.seed(rnd)");
            }
            if (n < 1 || n > MAX_PARALLEL) {
                throw new IllegalArgumentException("n %d must be in [1, %d]".formatted(n, MAX_PARALLEL));
            }
        }
    }

    /** A generator on one engine thread per available core. */
    public Generator(Params params, TinyVocab vocab) {
        this(params, vocab, Runtime.getRuntime().availableProcessors());
    }

    /** @param threads the engine's compute threads (the trainer's thread count) */
    public Generator(Params params, TinyVocab vocab, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads %d must be at least 1".formatted(threads));
        }
        this.params = params;
        this.vocab = vocab;
        this.threads = threads;
    }

    /** A seed for a {@link Request} drawn from {@code rnd} (never the engine's "random" value −1). */
    public static long seed(RandomGenerator rnd) {
        return rnd.nextLong(Long.MAX_VALUE);
    }

    /** One completion; its seed is drawn from {@code rnd}. Batches should use {@link #completeAll}. */
    public Completion complete(String question, int maxTokens, float temperature, RandomGenerator rnd) {
        return completeAll(List.of(new Request(R1Format.prompt(question), maxTokens, temperature, seed(rnd), 1))).getFirst().getFirst();
    }

    /**
     * Samples every request in one engine: all are submitted at once and decode in one continuous batch.
     *
     * @return per request (same order) its {@code n} completions, sample 0 first
     * @throws UncheckedIOException when the model cannot be exported or loaded
     */
    public List<List<Completion>> completeAll(List<Request> requests) {
        if (requests.isEmpty()) {
            return List.of();
        }
        int context = params.config().context();
        int sequences = requests.stream().mapToInt(Request::n).sum();
        int parallel = Math.min(sequences, MAX_PARALLEL);
        // The F32 KV cache, pinned: the recipe's samples (and so the trained model) must stay byte-reproducible
        // whatever the engine's default cache type becomes.
        EngineOptions options = new EngineOptions(parallel, context, Math.max(512, parallel), 256, requests.size(),
                threads, false, KvCacheType.F32);
        Path file = null;
        try {
            file = Files.createTempFile("r1j-policy-", ".gguf");
            GgufExport.write(params, vocab, "tiny-r1-policy", "policy snapshot for sampling", file);
            try (Engine engine = Engine.load(file, options)) {
                checkEndOfGeneration(engine);
                return run(engine, requests, context);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not export the policy for sampling: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sampling", e);
        } finally {
            deleteQuietly(file);
        }
    }

    private List<List<Completion>> run(Engine engine, List<Request> requests, int context) throws InterruptedException {
        List<int[]> prompts = new ArrayList<>(requests.size());
        List<GenerationHandle> handles = new ArrayList<>(requests.size());
        try {
            for (Request r : requests) {
                int[] prompt = vocab.encode(r.prompt());
                if (prompt.length >= context) {
                    throw new IllegalArgumentException("prompt of %d tokens leaves no room in the %d-token context: %s"
                            .formatted(prompt.length, context, r.prompt()));
                }
                prompts.add(prompt);
                handles.add(engine.submit(engineRequest(r, prompt, context), GenerationListener.none()));
            }
            List<List<Completion>> out = new ArrayList<>(requests.size());
            for (int i = 0; i < requests.size(); i++) {
                int[] prompt = prompts.get(i);
                out.add(handles.get(i).await().choices().stream().map(c -> completion(prompt, c)).toList());
            }
            return out;
        } finally {
            for (GenerationHandle h : handles) {
                if (!h.isDone()) {
                    h.cancel(); // only after a failure: frees the engine before it closes
                }
            }
        }
    }

    /** Pure temperature sampling; the budget is clipped to the context as the single-sequence decoder did. */
    private static GenerationRequest engineRequest(Request r, int[] prompt, int context) {
        SamplerSettings sampling = new SamplerSettings(r.temperature(), 0, 1f, 0f, 1f, 0f, 0f, 0, r.seed());
        int budget = Math.min(r.maxTokens(), context - prompt.length);
        return new GenerationRequest(Prompt.tokens(prompt), sampling, budget, -1, List.of(), r.n(), false, 0, false, true);
    }

    /**
     * The engine's choice as the trainer needs it. Its text is decoded with {@link TinyVocab}, not taken from the
     * engine's raw answer: the engine leaves control tokens (BOS, User, Assistant) that an untrained policy may emit
     * out of its text, and GRPO re-tokenises the text, so it must hold every sampled token.
     */
    private Completion completion(int[] prompt, Choice c) {
        if (c.error() != null) {
            throw new IllegalStateException("the engine failed while sampling: " + c.error());
        }
        int[] tokens = c.tokens();
        boolean finished = tokens.length > 0 && tokens[tokens.length - 1] == vocab.eos();
        int[] ids = finished ? Arrays.copyOf(tokens, tokens.length - 1) : tokens;
        return new Completion(prompt, ids, vocab.decode(ids), finished);
    }

    /** EOS must be the only token that ends generation, else {@code finished} would miss other stops. */
    private void checkEndOfGeneration(Engine engine) {
        int[] eog = engine.tokenizer().vocabulary().endOfGenerationIds();
        if (!Arrays.equals(eog, new int[] {vocab.eos()})) {
            throw new IllegalStateException("the exported vocabulary ends generation at %s, expected only EOS %d"
                    .formatted(Arrays.toString(eog), vocab.eos()));
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            file.toFile().deleteOnExit(); // still mapped on some systems; it is a temp file, not worth failing for
        }
    }
}
