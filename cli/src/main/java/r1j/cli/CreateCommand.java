package r1j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import r1j.cli.store.ByteSizes;
import r1j.cli.store.ModelStoreException;
import r1j.cli.store.StoreConfig;
import r1j.cli.store.StoredModel;

/** {@code r1j create NAME -f FILE.gguf}: a GGUF file the user already has, registered under a name in the store. */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = "Register a GGUF file you have under a name in the store, as `ollama create` does: then "
                + "`-m NAME` uses it, `r1j list` shows it and `r1j rm NAME` removes it. The file is hard-linked into "
                + "the store when it is on the same file system, else copied; a model of that name is replaced.")
public final class CreateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME",
            description = "the name: lower-case letters, digits, . _ - and an optional :TAG (e.g. my-r1:q8)")
    String name;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE.gguf", required = true, description = "the GGUF file")
    Path file;

    @Spec
    CommandSpec spec;

    private final StoreConfig config;

    /** The command as the CLI runs it: configured from the environment. */
    public CreateCommand() {
        this(StoreConfig.fromSystem());
    }

    /** @param config store folder */
    CreateCommand(StoreConfig config) {
        this.config = config;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            StoredModel m = config.store().create(name, file);
            out.println("created " + m.name() + ": " + ByteSizes.human(m.manifest().size()) + ", sha256 "
                    + m.manifest().sha256() + "; use it with -m " + m.name());
            out.flush();
            return 0;
        } catch (ModelStoreException e) {
            spec.commandLine().getErr().println("r1j create: " + e.getMessage());
            return 1;
        }
    }
}
