package r1j.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import r1j.cli.store.ByteSizes;
import r1j.cli.store.ModelCatalog;
import r1j.cli.store.ModelDownloader;
import r1j.cli.store.ModelSource;
import r1j.cli.store.ModelStore;
import r1j.cli.store.ModelStoreException;
import r1j.cli.store.ProgressListener;
import r1j.cli.store.StoreConfig;
import r1j.cli.store.StoredModel;
import r1j.cli.store.TerminalProgress;

import java.io.PrintWriter;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code r1j pull NAME...}: downloads models into the store, resuming interrupted downloads. */
@Command(name = "pull", mixinStandardHelpOptions = true,
        description = "Download models into the store (${R1J_HOME:-~/.r1j}/models), resuming where an interrupted "
                + "download stopped and verifying SHA-256.",
        footer = {"", "Names:",
                "  deepseek-r1:1.5b, :7b, :8b, :14b, :32b, :70b",
                "                          R1 distills in Q4_K_M (deepseek-r1 means :7b)",
                "  deepseek-r1:7b-q8_0     another quantization (q8_0, q6_k, q5_k_m, q4_0)",
                "  owner/repo/file.gguf    any GGUF file on Hugging Face",
                "", "Environment: R1J_HOME (store folder),",
                "  R1J_HF_ENDPOINT or HF_ENDPOINT (hub mirror)."})
public final class PullCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "NAME", description = "model names (see below)")
    List<String> names;

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "Hugging Face hub (or mirror) base URL (default: $R1J_HF_ENDPOINT, else https://huggingface.co)")
    URI endpoint;

    @Option(names = "--sha256", paramLabel = "HEX", description = "expected SHA-256 of the file (one NAME only)")
    String sha256;

    @Option(names = {"-f", "--force"}, description = "download again even when the model is already stored")
    boolean force;

    @Option(names = {"-q", "--quiet"}, description = "no progress bar (there is none when output is not a terminal)")
    boolean quiet;

    @Spec
    CommandSpec spec;

    private final StoreConfig config;
    private final ModelDownloader downloader;

    /** The command as the CLI runs it: configured from the environment. */
    public PullCommand() {
        this(StoreConfig.fromSystem(), ModelDownloader.standard());
    }

    /**
     * @param config     store folder and default endpoint
     * @param downloader the HTTP side
     */
    PullCommand(StoreConfig config, ModelDownloader downloader) {
        this.config = config;
        this.downloader = downloader;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (sha256 != null && names.size() > 1) {
            err.println("r1j pull: --sha256 applies to one model; pull the others separately");
            return 2;
        }
        ModelStore store = config.store();
        ModelCatalog catalog = new ModelCatalog(endpoint != null ? endpoint : config.endpoint());
        int failures = 0;
        for (String name : names) {
            try {
                pullOne(name, store, catalog, out);
            } catch (ModelStoreException | IllegalArgumentException e) {
                err.println("r1j pull: " + e.getMessage());
                failures++;
            }
        }
        out.flush();
        return failures == 0 ? 0 : 1;
    }

    /** A bar redrawn with carriage returns only makes sense on a terminal, not in a log file. */
    private static boolean onTerminal() {
        java.io.Console console = System.console();
        return console != null && console.isTerminal();
    }

    private void pullOne(String name, ModelStore store, ModelCatalog catalog, PrintWriter out) {
        ModelSource source = catalog.source(name);
        if (sha256 != null) {
            source = source.withExpectedSha256(sha256);
        }
        Optional<StoredModel> present = store.find(source.name());
        if (present.isPresent() && !force) {
            out.println(source.name() + " is already pulled: " + present.get().path() + " (use --force to download again)");
            return;
        }
        out.println("pulling " + source.name() + " from " + source.url());
        out.flush();
        StoredModel stored;
        // Ctrl-C ends the JVM mid-download; say that the bytes so far are kept and how to go on.
        String resume = "\nr1j pull: interrupted; the partial download is kept, `r1j pull " + source.name()
                + "` resumes it";
        Thread interruptedNote = Thread.ofPlatform().unstarted(() -> System.err.println(resume));
        Runtime.getRuntime().addShutdownHook(interruptedNote);
        try (TerminalProgress bar = TerminalProgress.bytes(System.err)) {
            stored = store.pull(source, downloader, quiet || !onTerminal() ? ProgressListener.NONE : bar);
        } finally {
            Runtime.getRuntime().removeShutdownHook(interruptedNote);
        }
        out.println("pulled " + stored.name() + ": " + ByteSizes.human(stored.manifest().size()) + ", sha256 "
                + stored.manifest().sha256() + (stored.manifest().sha256Verified() ? " (verified)" : " (recorded)"));
        out.println("  " + stored.path());
    }
}
