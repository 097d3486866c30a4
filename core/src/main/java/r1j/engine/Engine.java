package r1j.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import r1j.chat.ChatTemplate;
import r1j.chat.ThinkingBudget;
import r1j.gguf.GgufFile;
import r1j.model.KvCache;
import r1j.model.LanguageModel;
import r1j.model.ArchitectureConfig;
import r1j.model.ModelLoader;
import r1j.sample.SamplerSettings;
import r1j.tensor.ComputePool;
import r1j.tokenizer.Tokenizer;

/**
 * The in-process API: load a model once, then generate from many threads at once.
 *
 * <pre>{@code
 * try (Engine engine = Engine.load(Path.of("model.gguf"), EngineOptions.defaults())) {
 *     Completion c = engine.generate(GenerationRequest.chat(List.of(ChatMessage.user("What is 12+7?"))));
 *     System.out.println(c.first().reasoning() + "\n---\n" + c.first().answer());
 * }
 * }</pre>
 *
 * <p>{@link #submit} queues a request and streams its events to a {@link GenerationListener}; every live request is
 * advanced together by one scheduler thread that owns the model and the KV cache (continuous batching, see
 * {@link Scheduler}). {@code submit}, {@link #generate}, {@link #stats()} and {@link GenerationHandle#cancel()} are
 * thread-safe.
 */
public final class Engine implements AutoCloseable {

    private final LanguageModel model;
    private final Tokenizer tokenizer;
    private final ChatTemplate chatTemplate;
    private final EngineOptions options;
    private final LongSupplier clock;
    private final RandomGenerator seeds;
    private final KvCache cache;
    private final SlotTable slots;
    private final StatsRecorder stats = new StatsRecorder();
    private final Scheduler scheduler;
    private final Thread thread;
    private final Set<GenerationHandle> inFlight = ConcurrentHashMap.newKeySet();
    private final AutoCloseable owned; // what load() opened and close() must release, else null
    private final String modelName;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * An engine over parts the caller built (tests, the trainer); {@link #close()} does not close the model.
     * Uses the system clock and random seeds for requests without a fixed seed.
     */
    public Engine(LanguageModel model, Tokenizer tokenizer, ChatTemplate chatTemplate, EngineOptions options) {
        this(model, tokenizer, chatTemplate, options, System::nanoTime,
                RandomGeneratorFactory.of(Sequence.RANDOM_ALGORITHM).create(), null, model.config().architecture());
    }

    /**
     * An engine with an injected clock ({@code nanoClock}, nanoseconds, only differences matter) and source of seeds
     * for requests whose seed is {@link SamplerSettings#RANDOM_SEED}; {@link #close()} does not close the model.
     */
    public Engine(LanguageModel model, Tokenizer tokenizer, ChatTemplate chatTemplate, EngineOptions options,
                  LongSupplier nanoClock, RandomGenerator seedSource) {
        this(model, tokenizer, chatTemplate, options, nanoClock, seedSource, null, model.config().architecture());
    }

    private Engine(LanguageModel model, Tokenizer tokenizer, ChatTemplate chatTemplate, EngineOptions options,
                   LongSupplier nanoClock, RandomGenerator seedSource, AutoCloseable owned, String modelName) {
        this.model = Objects.requireNonNull(model, "model");
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.chatTemplate = Objects.requireNonNull(chatTemplate, "chatTemplate");
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.seeds = Objects.requireNonNull(seedSource, "seedSource");
        this.owned = owned;
        this.modelName = modelName;
        ArchitectureConfig config = model.config();
        if (tokenizer.vocabSize() > config.vocab()) {
            throw new IllegalArgumentException("the tokenizer has %d tokens but the model only %d logits"
                    .formatted(tokenizer.vocabSize(), config.vocab()));
        }
        int context = options.resolveContext(config.contextLength());
        this.cache = model.newCache(options.parallel(), context, options.kvCacheType());
        this.slots = new SlotTable(cache, options.prefixCache());
        int[] closeThought = tokenizer.encode(ThinkingBudget.CLOSE_TEXT, false, true);
        this.scheduler = new Scheduler(model, tokenizer, options, slots, stats, nanoClock, closeThought);
        this.thread = Thread.ofPlatform().name("r1j-scheduler").daemon(true).unstarted(scheduler);
        scheduler.start(thread);
    }

    /**
     * Opens a GGUF model with its tokenizer and chat template (the file's {@code tokenizer.chat_template}, or the
     * built-in DeepSeek-R1 format when it has none). {@link #close()} releases the file and the compute threads.
     *
     * @throws IOException when the file cannot be read or is not a supported model
     */
    public static Engine load(Path gguf, EngineOptions options) throws IOException {
        ComputePool pool = options.threads() == 0 ? ComputePool.shared() : new ComputePool(options.threads());
        AutoCloseable poolOwned = options.threads() == 0 ? () -> { } : pool;
        LanguageModel model = null;
        try {
            model = ModelLoader.load(gguf, pool);
            Tokenizer tokenizer = Tokenizer.load(gguf, null);
            String template;
            String name;
            try (GgufFile file = GgufFile.open(gguf)) {
                template = file.metadata().getString("tokenizer.chat_template", null);
                name = file.metadata().getString("general.name", fileStem(gguf));
            }
            ChatTemplate chat = ChatTemplate.of(template, tokenText(tokenizer, tokenizer.bos()),
                    tokenText(tokenizer, tokenizer.eos()));
            LanguageModel m = model;
            AutoCloseable owned = () -> {
                try (poolOwned; m) {
                    // closes the model, then the pool
                }
            };
            return new Engine(model, tokenizer, chat, options, System::nanoTime,
                    RandomGeneratorFactory.of(Sequence.RANDOM_ALGORITHM).create(), owned, name);
        } catch (IOException | RuntimeException e) {
            if (model != null) {
                model.close();
            }
            closeQuietly(poolOwned);
            throw e;
        }
    }

    /** The model's name: the file's {@code general.name} (else its file name), or the architecture for parts. */
    public String modelName() {
        return modelName;
    }

    /** The model's hyper-parameters. */
    public ArchitectureConfig config() {
        return model.config();
    }

    /** The model's tokenizer (thread-safe). */
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The chat template requests with {@link Prompt.Chat} are rendered with. */
    public ChatTemplate chatTemplate() {
        return chatTemplate;
    }

    /** The options this engine runs with. */
    public EngineOptions options() {
        return options;
    }

    /** Tokens one sequence may hold: prompt plus completion. */
    public int contextSize() {
        return slots.contextLength();
    }

    /** Bytes the KV cache occupies (all slots, allocated up front). */
    public long kvCacheBytes() {
        return cache.bytes();
    }

    /** A snapshot of the counters and gauges. */
    public EngineStats stats() {
        return stats.snapshot(slots, scheduler.queueDepth());
    }

    /** Registers a listener told about every finished choice (for metrics). */
    public void addStatsListener(EngineStatsListener listener) {
        stats.addListener(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * The token ids a prompt becomes: a chat rendered with the template and its generation prompt, text tokenized
     * with special tokens parsed and BOS added when the vocabulary asks for it (and the text has none), token ids as
     * they are.
     */
    public int[] tokenize(Prompt prompt) {
        return prepare(prompt).ids();
    }

    /**
     * Queues a request; events stream to {@code listener} on the scheduler thread (see {@link GenerationListener}).
     *
     * @throws PromptTooLongException  when the prompt leaves no room in the context for a generated token
     * @throws InvalidRequestException when {@code n} exceeds the parallel slots
     * @throws QueueFullException      when too many requests already wait
     * @throws EngineClosedException   after {@link #close()}
     */
    public GenerationHandle submit(GenerationRequest request, GenerationListener listener) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(listener, "listener");
        if (closed) {
            throw new EngineClosedException();
        }
        if (request.n() > options.parallel()) {
            throw new InvalidRequestException("n %d exceeds the engine's %d parallel slots; ask for at most %d choices"
                    .formatted(request.n(), options.parallel(), options.parallel()));
        }
        PreparedPrompt p = prepare(request.prompt());
        int[] ids = p.ids();
        if (ids.length >= contextSize()) {
            throw new PromptTooLongException(ids.length, contextSize());
        }
        for (int id : ids) {
            if (id < 0 || id >= config().vocab()) {
                throw new InvalidRequestException("prompt token id %d is outside the vocabulary [0, %d)"
                        .formatted(id, config().vocab()));
            }
        }
        long seed = request.sampling().seed();
        if (seed == SamplerSettings.RANDOM_SEED) {
            synchronized (seeds) {
                seed = seeds.nextLong();
            }
        }
        GenerationHandle handle = new GenerationHandle(ids, request.n(), request.logprobs(), listener, scheduler::wake);
        RequestState state = new RequestState(request, handle, ids, p.startsInReasoning(), seed, clock.getAsLong());
        scheduler.enqueue(state);
        inFlight.add(handle);
        handle.future().whenComplete((c, e) -> inFlight.remove(handle));
        return handle;
    }

    /**
     * Forgets the prefix cache (every finished sequence's KV). Call it after changing the model's weights in place
     * (the trainer does between GRPO iterations): cached keys and values would belong to the old weights. Running
     * requests are not affected. Returns once the cache is empty.
     */
    public void clearPrefixCache() throws InterruptedException {
        if (scheduler.isSchedulerThread()) {
            throw new IllegalStateException("clearPrefixCache() called from a GenerationListener would wait forever");
        }
        CountDownLatch done = new CountDownLatch(1);
        scheduler.runBetweenSteps(() -> {
            slots.clearCached();
            done.countDown();
        });
        // A closed engine runs no more tasks; its cache no longer matters.
        while (!done.await(50, TimeUnit.MILLISECONDS) && thread.isAlive()) {
            scheduler.wake();
        }
    }

    /**
     * Generates and waits for the whole result (evaluation, training, the CLI's one-shot mode).
     *
     * @throws EngineException as {@link #submit} does
     */
    public Completion generate(GenerationRequest request) throws InterruptedException {
        if (scheduler.isSchedulerThread()) {
            throw new IllegalStateException("generate() called from a GenerationListener would wait forever; use submit()");
        }
        GenerationHandle handle = submit(request, GenerationListener.none());
        try {
            return handle.await();
        } catch (InterruptedException e) {
            handle.cancel();
            throw e;
        }
    }

    /**
     * Stops accepting requests, lets running ones finish for up to {@code grace}, then cancels the rest and closes.
     */
    public void shutdown(Duration grace) throws InterruptedException {
        closed = true;
        long deadline = System.nanoTime() + grace.toNanos();
        for (GenerationHandle h : Set.copyOf(inFlight)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                h.await(Duration.ofNanos(left));
            } catch (TimeoutException e) {
                break;
            }
        }
        close();
    }

    /**
     * Cancels every queued and running request (their listeners get {@link FinishReason#CANCELLED}), stops the
     * scheduler thread, and releases the model when {@link #load} opened it. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        scheduler.close();
        if (scheduler.isSchedulerThread()) {
            return; // called from a listener: the scheduler ends after this step; the model stays open
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (owned != null && !thread.isAlive() && released.compareAndSet(false, true)) {
            closeQuietly(owned);
        }
    }

    /** A prompt as token ids, and whether it leaves the model inside an open thought. */
    private record PreparedPrompt(int[] ids, boolean startsInReasoning) {
    }

    private PreparedPrompt prepare(Prompt prompt) {
        return switch (prompt) {
            case Prompt.Chat c -> {
                String text = chatTemplate.render(c.messages(), true);
                yield new PreparedPrompt(encodeWithBos(text), ChatTemplate.endsInReasoning(text));
            }
            case Prompt.Text t -> new PreparedPrompt(encodeWithBos(t.text()), ChatTemplate.endsInReasoning(t.text()));
            case Prompt.Tokens k -> new PreparedPrompt(k.ids(),
                    ChatTemplate.endsInReasoning(tokenizer.decode(safeIds(k.ids()))));
        };
    }

    /** Token ids clipped to the vocabulary, for decoding a prompt whose bad ids {@link #submit} reports later. */
    private int[] safeIds(int[] ids) {
        return Arrays.stream(ids).filter(id -> id >= 0 && id < tokenizer.vocabSize()).toArray();
    }

    /** Tokenizes with special tokens parsed; prepends BOS when the vocabulary wants one and the text has none. */
    private int[] encodeWithBos(String text) {
        int[] ids = tokenizer.encode(text, false, true);
        if (tokenizer.vocabulary().addBos() && (ids.length == 0 || ids[0] != tokenizer.bos())) {
            int[] withBos = new int[ids.length + 1];
            withBos[0] = tokenizer.bos();
            System.arraycopy(ids, 0, withBos, 1, ids.length);
            ids = withBos;
        }
        if (ids.length == 0) {
            throw new InvalidRequestException("the prompt is empty after tokenization; send some text");
        }
        return ids;
    }

    private static String fileStem(Path path) {
        String name = path.getFileName().toString();
        return name.endsWith(".gguf") ? name.substring(0, name.length() - 5) : name;
    }

    private static String tokenText(Tokenizer tokenizer, int id) {
        return id < 0 ? "" : tokenizer.tokenText(id);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw new IllegalStateException("closing the model failed", e);
        }
    }
}
