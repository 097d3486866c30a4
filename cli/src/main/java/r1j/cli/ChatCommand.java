package r1j.cli;

import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import r1j.chat.ChatMessage;
import r1j.cli.chat.ChatRepl;
import r1j.cli.chat.ChatSettings;
import r1j.cli.chat.ContextSize;
import r1j.cli.chat.Conversation;
import r1j.cli.chat.EngineTurnRunner;
import r1j.cli.store.ModelResolver;
import r1j.cli.store.StoreConfig;
import r1j.engine.Engine;
import r1j.engine.EngineOptions;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code r1j chat [-m MODEL]}: an interactive chat in the terminal, reasoning shown apart from the answer. */
@Command(name = "chat", mixinStandardHelpOptions = true,
        description = "Chat with a model in the terminal. The reasoning is shown dimmed before the answer; "
                + "type /help in the chat for its commands, Ctrl-C stops an answer, Ctrl-D leaves.")
public final class ChatCommand implements Callable<Integer> {

    /** Opens the terminal the chat runs on; tests hand in one over piped streams. */
    @FunctionalInterface
    interface TerminalFactory {
        Terminal open() throws IOException;
    }

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL",
            description = "GGUF file or stored model name (default: the built-in tiny-r1)")
    String model;

    @Mixin
    SamplingOptions sampling;

    @Option(names = "--budget", paramLabel = "N", defaultValue = "-1",
            description = "most reasoning tokens per answer, then the model must answer (default: -1, no limit)")
    int budget;

    @Option(names = "--no-think", description = "answer without thinking (same as /think off)")
    boolean noThink;

    @Option(names = "--hide-thinking", description = "show only how long the model thought, not the reasoning")
    boolean hideThinking;

    @Option(names = {"-n", "--max-tokens"}, paramLabel = "N", defaultValue = "-1",
            description = "most tokens per reply, reasoning included (default: -1, until the context is full)")
    int maxTokens;

    @Mixin
    KvTypeOption kvType = new KvTypeOption();

    @Option(names = {"-c", "--ctx-size"}, paramLabel = "N",
            description = "context size in tokens, the whole conversation included (default: the model's, at most "
                    + ContextSize.DEFAULT_CAP + "; 0: the model's)")
    Integer contextSize;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", defaultValue = "0",
            description = "compute threads (default: 0, one per core)")
    int threads;

    @Option(names = "--load", paramLabel = "FILE", description = "start from a conversation saved with /save")
    Path load;

    @Option(names = "--system", paramLabel = "TEXT",
            description = "a system prompt for the whole chat (default: none; /system changes it)")
    String system;

    @Option(names = "--ignore-eos", hidden = true,
            description = "keep generating past end-of-generation tokens (benchmarks and tests)")
    boolean ignoreEos;

    @Option(names = "--no-color", description = "no ANSI styling (also when NO_COLOR is set)")
    boolean noColor;

    @Spec
    CommandSpec spec;

    private final StoreConfig config;
    private final TerminalFactory terminals;

    /** The command as the CLI runs it: the store from the environment, the system terminal. */
    public ChatCommand() {
        this(StoreConfig.fromSystem(), () -> TerminalBuilder.builder().system(true).name("r1j").build());
    }

    /**
     * @param config    where stored models and the chat history live
     * @param terminals opens the terminal
     */
    ChatCommand(StoreConfig config, TerminalFactory terminals) {
        this.config = config;
        this.terminals = terminals;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        if (budget < -1) {
            err.println("r1j chat: --budget must be -1 (no limit), 0 (no thinking) or a token count, got " + budget);
            return 2;
        }
        if (maxTokens == 0 || maxTokens < -1) {
            err.println("r1j chat: --max-tokens must be positive or -1, got " + maxTokens);
            return 2;
        }
        ModelResolver resolver = new ModelResolver(config.store());
        Path path = model != null ? resolver.locate(model) : resolver.locateDefault();
        var initial = new ChatSettings(!noThink, !hideThinking, budget, sampling.settings(), maxTokens);
        var preload = load == null ? List.<ChatMessage>of() : loadConversation(err);
        if (preload == null) {
            return 1;
        }
        EngineOptions options = EngineOptions.defaults().withParallel(1)
                .withContextSize(ContextSize.choose(path, contextSize))
                .withThreads(threads).withKvCacheType(kvType.type());
        try (Terminal terminal = terminals.open()) {
            PrintWriter screen = terminal.writer();
            screen.println("loading " + path + " ...");
            screen.flush();
            long start = System.nanoTime();
            Files.createDirectories(config.home());
            Engine loaded;
            try {
                loaded = Engine.load(path, options);
            } catch (IOException | RuntimeException e) {
                err.println("r1j chat: cannot load " + path + ": " + e.getMessage());
                return 1;
            }
            try (Engine engine = loaded) {
                ChatRepl repl = new ChatRepl(terminal, new EngineTurnRunner(engine, ignoreEos),
                        config.home().resolve("chat_history"), initial, useColor(terminal), System::nanoTime);
                repl.conversation().replaceWith(preload);
                if (system != null) {
                    repl.conversation().setSystem(system);
                }
                repl.run(String.format(Locale.ROOT, "r1j chat: %s (%s, context %d tokens, loaded in %.1f s)%n"
                                + "/help lists the commands; Ctrl-C stops an answer, Ctrl-D leaves.",
                        path.getFileName(), engine.config().architecture(), engine.contextSize(),
                        (System.nanoTime() - start) / 1e9));
            }
        }
        return 0;
    }

    /** @return the saved messages, or {@code null} after printing why they cannot be read */
    private List<ChatMessage> loadConversation(PrintWriter err) {
        try {
            return Conversation.load(load);
        } catch (IOException | IllegalArgumentException e) {
            err.println("r1j chat: cannot load " + load + ": " + e.getMessage());
            return null;
        }
    }

    private boolean useColor(Terminal terminal) {
        String type = terminal.getType();
        return !noColor && System.getenv("NO_COLOR") == null && type != null && !type.startsWith("dumb");
    }
}
