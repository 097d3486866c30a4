package r1j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import r1j.cli.store.BuiltInModel;
import r1j.cli.store.ByteSizes;
import r1j.cli.store.ModelStore;
import r1j.cli.store.ModelStoreException;
import r1j.cli.store.PartialDownload;
import r1j.cli.store.StoreConfig;
import r1j.cli.store.StoredModel;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code r1j list}: the built-in model, then the models in the store with size and download (or create) time, and any
 * unfinished downloads.
 */
@Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true,
        description = "List the models in the store (${R1J_HOME:-~/.r1j}/models).")
public final class ListCommand implements Callable<Integer> {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    @Option(names = "--json", description = "one JSON array: name, file, path, size, sha256, verified, url, "
            + "downloadedAt (the built-in model: name, builtIn, size)")
    boolean json;

    @Option(names = {"-p", "--paths"}, description = "also show each model's file path")
    boolean paths;

    @Spec
    CommandSpec spec;

    private final StoreConfig config;
    private final ZoneId zone;

    /** The command as the CLI runs it: configured from the environment, times in the local zone. */
    public ListCommand() {
        this(StoreConfig.fromSystem(), ZoneId.systemDefault());
    }

    /**
     * @param config store folder
     * @param zone   time zone the download times are shown in
     */
    ListCommand(StoreConfig config, ZoneId zone) {
        this.config = config;
        this.zone = zone;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            ModelStore store = config.store();
            List<StoredModel> models = store.list();
            if (json) {
                out.println(toJson(models));
            } else {
                printTable(models, store.partials(), store, out);
            }
            out.flush();
            return 0;
        } catch (ModelStoreException e) {
            spec.commandLine().getErr().println("r1j list: " + e.getMessage());
            return 1;
        }
    }

    private void printTable(List<StoredModel> models, List<PartialDownload> partials, ModelStore store, PrintWriter out) {
        String builtIn = BuiltInModel.NAME + " (built-in)";
        long builtInSize = BuiltInModel.size();
        int width = Math.max(builtIn.length(), models.stream().mapToInt(m -> m.name().length()).max().orElse(0));
        String row = "%-" + width + "s  %9s  %s%n";
        out.printf(row, "NAME", "SIZE", "MODIFIED");
        if (builtInSize >= 0) {
            out.printf(row, builtIn, ByteSizes.human(builtInSize), "-");
        }
        for (StoredModel m : models) {
            String when = WHEN.format(Instant.parse(m.manifest().downloadedAt()).atZone(zone));
            out.printf(row, m.name(), ByteSizes.human(m.manifest().size()), when);
            if (paths) {
                out.println("  " + m.path());
            }
        }
        if (models.isEmpty()) {
            out.println("no models in " + store.modelsDir() + " yet; `r1j pull deepseek-r1:1.5b` downloads one, "
                    + "`r1j create NAME -f FILE.gguf` adds a GGUF file you have");
        }
        for (PartialDownload p : partials) {
            out.println("unfinished: " + p.name() + " (" + ByteSizes.human(p.bytesHeld()) + " so far); `r1j pull "
                    + p.name() + "` resumes it, `r1j rm " + p.name() + "` discards it");
        }
    }

    private static String toJson(List<StoredModel> models) {
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode array = mapper.createArrayNode();
        long builtInSize = BuiltInModel.size();
        if (builtInSize >= 0) {
            array.addObject().put("name", BuiltInModel.NAME).put("builtIn", true).put("size", builtInSize);
        }
        for (StoredModel m : models) {
            ObjectNode node = array.addObject();
            node.put("name", m.name());
            node.put("file", m.manifest().file());
            node.put("path", m.path().toString());
            node.put("size", m.manifest().size());
            node.put("sha256", m.manifest().sha256());
            node.put("verified", m.manifest().sha256Verified());
            node.put("url", m.manifest().url());
            node.put("downloadedAt", m.manifest().downloadedAt());
        }
        return array.toString();
    }
}
