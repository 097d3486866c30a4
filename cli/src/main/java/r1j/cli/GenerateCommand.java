package r1j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import r1j.chat.ChatMessage;
import r1j.chat.ReasoningEvent;
import r1j.cli.chat.ChatRepl;
import r1j.cli.chat.ContextSize;
import r1j.cli.chat.EngineTurnRunner;
import r1j.cli.chat.ReplyJson;
import r1j.cli.store.ModelResolver;
import r1j.cli.store.ModelStoreException;
import r1j.cli.store.StoreConfig;
import r1j.engine.Engine;
import r1j.engine.EngineException;
import r1j.engine.EngineOptions;
import r1j.engine.GenerationRequest;
import r1j.engine.Prompt;
import r1j.engine.Usage;
import r1j.model.Batch;
import r1j.model.KvCache;
import r1j.model.LanguageModel;
import r1j.model.ModelLoadException;
import r1j.model.ModelLoader;

/**
 * {@code r1j generate}: one answer to one prompt, or a golden-style token continuation.
 *
 * <ul>
 *   <li>{@code -p TEXT} (or the text on stdin): the prompt goes to the model as a chat message (or as raw text with
 *       {@code --raw}); the reasoning streams to stderr and the answer to stdout, so {@code > file} keeps only the
 *       answer; {@code --json} prints one line {@code {"reasoning": …, "answer": …, "finish_reason": …,
 *       "usage": …}} instead.</li>
 *   <li>{@code --tokens 1,2,3 -n 24 --greedy --ids}: continues a token sequence the way llama.cpp's greedy reference
 *       does — the prompt as one batch, then one token at a time through the KV cache, argmax with the lowest id
 *       winning ties, exactly {@code n} tokens (end-of-sequence does not stop it) — and prints the new ids.</li>
 * </ul>
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Answer one prompt (-p TEXT, or stdin): reasoning to stderr, answer to stdout (or --json). "
                + "With --tokens IDS --greedy --ids: continue token ids as llama.cpp's greedy reference does.")
public final class GenerateCommand implements Callable<Integer> {

    private static final int DEFAULT_TOKEN_STEPS = 128;

    @Spec
    CommandSpec spec;

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL",
            description = "GGUF file or stored model name (default: the built-in tiny-r1)")
    String model;

    @Option(names = {"-p", "--prompt"}, paramLabel = "TEXT", description = "the prompt (default: read stdin)")
    String prompt;

    @Option(names = "--tokens", split = ",", paramLabel = "IDS", description = "prompt as comma-separated token ids")
    int[] tokens;

    @Option(names = {"-n", "--max-tokens"}, paramLabel = "N",
            description = "most tokens to generate, reasoning included (default: until the model stops or the "
                    + "context is full; " + DEFAULT_TOKEN_STEPS + " with --tokens)")
    Integer maxTokens;

    @Mixin
    SamplingOptions sampling;

    @Option(names = "--budget", paramLabel = "N", defaultValue = "-1",
            description = "most reasoning tokens, then the model must answer (0: no thinking; default: -1, no limit)")
    int budget;

    @Option(names = "--json", description = "print one JSON line: reasoning, answer, finish_reason, usage")
    boolean json;

    @Option(names = "--raw", description = "send the prompt as raw text, not as a chat message in the model's template")
    boolean raw;

    @Option(names = "--system", paramLabel = "TEXT", description = "a system message before the prompt (R1 needs none)")
    String system;

    @Option(names = "--hide-thinking", description = "do not print the reasoning")
    boolean hideThinking;

    @Mixin
    KvTypeOption kvType = new KvTypeOption();

    @Option(names = {"-c", "--ctx-size"}, paramLabel = "N",
            description = "context size in tokens (default: the model's, at most " + ContextSize.DEFAULT_CAP
                    + "; 0: the model's)")
    Integer contextSize;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", defaultValue = "0",
            description = "compute threads (default: 0, one per core)")
    int threads;

    @Option(names = "--ignore-eos", hidden = true,
            description = "keep generating past end-of-generation tokens (benchmarks and tests)")
    boolean ignoreEos;

    @Option(names = "--ids", description = "with --tokens: print the generated token ids, space separated, on one line")
    boolean ids;

    @Option(names = "--stats", description = "print token counts and speed to stderr")
    boolean stats;

    /** Where a prompt without {@code -p} is read from; tests replace it. */
    InputStream stdin = System.in;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (tokens != null) {
            return callTokens(out, err);
        }
        if (maxTokens != null && (maxTokens == 0 || maxTokens < -1)) {
            return usageError(err, "-n must be positive (or -1 for the context's limit), got " + maxTokens);
        }
        if (budget < -1) {
            return usageError(err, "--budget must be -1 (no limit), 0 (no thinking) or a token count, got " + budget);
        }
        String text;
        try {
            text = prompt != null ? prompt : new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("r1j generate: cannot read the prompt from stdin: " + e.getMessage());
            return 1;
        }
        if (text.isBlank()) {
            return usageError(err, "no prompt: pass -p TEXT or pipe the text to stdin");
        }
        try {
            return answer(text, out, err);
        } catch (ModelStoreException | EngineException | IllegalArgumentException | IllegalStateException e) {
            err.println("r1j generate: " + e.getMessage());
            return 1;
        }
    }

    /** Loads the model, generates, prints. */
    private int answer(String text, PrintWriter out, PrintWriter err) {
        Path path = modelPath();
        GenerationRequest request = GenerationRequest.of(prompt(text)).withSampling(sampling.settings())
                .withThinkingBudget(budget).withMaxTokens(maxTokens == null ? -1 : maxTokens).withIgnoreEos(ignoreEos);
        Engine engine;
        try {
            engine = Engine.load(path, EngineOptions.defaults().withParallel(1)
                    .withContextSize(ContextSize.choose(path, contextSize))
                    .withThreads(threads).withKvCacheType(kvType.type()));
        } catch (IOException | ModelLoadException e) {
            err.println("r1j generate: cannot load " + path + ": " + e.getMessage());
            return 1;
        }
        try (engine) {
            EngineTurnRunner runner = new EngineTurnRunner(engine, ignoreEos);
            ChatRepl.Reply reply;
            if (json) {
                reply = runner.generate(request, event -> { });
                out.println(ReplyJson.format(reply));
            } else {
                StreamSplitter split = new StreamSplitter(out, err, !hideThinking);
                reply = runner.generate(request, split);
                split.finish();
            }
            out.flush();
            if (stats) {
                err.println(statsLine(reply.usage()));
                err.flush();
            }
            return 0;
        }
    }

    /** The -m argument resolved (a path or a stored name), or the store's default model. */
    private Path modelPath() {
        return model != null ? LogitsCommand.resolveModel(model)
                : new ModelResolver(StoreConfig.fromSystem().store()).locateDefault();
    }

    private Prompt prompt(String text) {
        if (raw) {
            return new Prompt.Text(system == null ? text : system + text);
        }
        List<ChatMessage> messages = new ArrayList<>();
        if (system != null) {
            messages.add(ChatMessage.system(system));
        }
        messages.add(ChatMessage.user(text));
        return new Prompt.Chat(messages);
    }

    /** Reasoning to stderr (a blank line after it), answer to stdout, each as it arrives. */
    private static final class StreamSplitter implements java.util.function.Consumer<ReasoningEvent> {
        private final PrintWriter out;
        private final PrintWriter err;
        private final boolean showReasoning;
        private boolean reasoningOpen;
        private boolean answerEndsWithNewline = true;

        StreamSplitter(PrintWriter out, PrintWriter err, boolean showReasoning) {
            this.out = out;
            this.err = err;
            this.showReasoning = showReasoning;
        }

        @Override
        public void accept(ReasoningEvent event) {
            switch (event) {
                case ReasoningEvent.Reasoning r -> {
                    if (showReasoning) {
                        err.print(r.text());
                        err.flush();
                        reasoningOpen = true;
                    }
                }
                case ReasoningEvent.Answer a -> {
                    closeReasoning();
                    out.print(a.text());
                    out.flush();
                    answerEndsWithNewline = a.text().endsWith("\n");
                }
            }
        }

        void finish() {
            closeReasoning();
            if (!answerEndsWithNewline) {
                out.println();
            }
        }

        private void closeReasoning() {
            if (reasoningOpen) {
                err.println();
                err.println();
                err.flush();
                reasoningOpen = false;
            }
        }
    }

    private static String statsLine(Usage u) {
        return String.format(Locale.ROOT, "prompt: %d tokens (%d cached); generated: %d tokens (%d reasoning), "
                        + "first token after %.2f s, %.1f tokens/s",
                u.promptTokens(), u.cachedTokens(), u.completionTokens(), u.reasoningTokens(),
                u.timeToFirstToken().toNanos() / 1e9, u.decodeTokensPerSecond());
    }

    /** The golden token mode: ids in, greedy ids out. */
    private int callTokens(PrintWriter out, PrintWriter err) {
        int steps = maxTokens == null ? DEFAULT_TOKEN_STEPS : maxTokens;
        if (!sampling.greedy) return usageError(err, "only greedy decoding is available for --tokens input: add --greedy");
        if (!ids) return usageError(err, "--tokens input prints token ids: add --ids");
        if (steps < 0) return usageError(err, "-n must be ≥ 0, got " + steps);
        if (tokens.length == 0) return usageError(err, "--tokens needs at least one id");
        if (prompt != null) return usageError(err, "pass either -p TEXT or --tokens IDS, not both");
        try (LanguageModel lm = ModelLoader.load(modelPath())) {
            int[] generated = generateGreedy(lm, steps, err);
            out.println(joinIds(generated));
            out.flush();
            return 0;
        } catch (IOException | ModelLoadException | ModelStoreException | IllegalArgumentException e) {
            err.println("r1j generate: " + e.getMessage());
            return 1;
        }
    }

    /** Prompt in one batch (logits of the last row only), then {@code maxTokens} greedy steps. */
    int[] generateGreedy(LanguageModel lm, int maxTokens, PrintWriter err) {
        int vocab = lm.config().vocab();
        KvCache cache = lm.newCache(1, tokens.length + maxTokens, kvType.type());
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
