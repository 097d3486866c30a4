package r1j.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import r1j.cli.store.ModelStore;
import r1j.cli.store.ModelStoreException;
import r1j.cli.store.StoreConfig;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code r1j rm NAME...}: deletes models (or unfinished downloads) from the store. */
@Command(name = "rm", mixinStandardHelpOptions = true,
        description = "Delete models, or their unfinished downloads, from the store.")
public final class RmCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "NAME", description = "model names as `r1j list` shows them")
    List<String> names;

    @Spec
    CommandSpec spec;

    private final StoreConfig config;

    /** The command as the CLI runs it: configured from the environment. */
    public RmCommand() {
        this(StoreConfig.fromSystem());
    }

    /** @param config store folder */
    RmCommand(StoreConfig config) {
        this.config = config;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ModelStore store = config.store();
        int failures = 0;
        for (String name : names) {
            try {
                if (store.remove(name)) {
                    out.println("deleted " + name);
                } else {
                    err.println("r1j rm: model '" + name + "' is not in " + store.modelsDir()
                            + "; `r1j list` shows what is");
                    failures++;
                }
            } catch (ModelStoreException e) {
                err.println("r1j rm: " + e.getMessage());
                failures++;
            }
        }
        out.flush();
        return failures == 0 ? 0 : 1;
    }
}
