package r1j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import r1j.cli.bench.BenchJson;
import r1j.cli.bench.BenchTable;
import r1j.cli.bench.Measurement;
import r1j.cli.bench.SpeedTest;
import r1j.cli.bench.WeightTraffic;
import r1j.cli.store.ModelStoreException;
import r1j.gguf.GgufFile;
import r1j.model.KvCacheType;
import r1j.model.LanguageModel;
import r1j.model.ModelLoadException;
import r1j.model.ModelLoader;
import r1j.tensor.ComputePool;

/**
 * {@code r1j bench -m MODEL [-p 512] [-n 128] [-d 0] [-r 3] [-t THREADS] [--batch N] [--kv-type T] [-o md|json]}:
 * llama-bench's prompt-processing and text-generation speeds for r1j, as a markdown table (see {@link SpeedTest} for
 * what each test runs), plus the effective weight bandwidth of decoding to compare with the machine's memory
 * bandwidth. {@code --batch N} adds an aggregate decode test with N sequences per step; {@code -d D} runs every test
 * after D tokens already in the cache; {@code -o json} prints llama-bench's JSON fields instead of the table.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure prompt-processing and generation speed (tokens/s), like llama-bench.")
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "MODEL", description = "GGUF file or model-store name.")
    String model;

    @Option(names = {"-p", "--n-prompt"}, defaultValue = "512", paramLabel = "N",
            description = "Prompt tokens of the pp test; 0 skips it (default ${DEFAULT-VALUE}).")
    int prompt;

    @Option(names = {"-n", "--n-gen"}, defaultValue = "128", paramLabel = "N",
            description = "Decode steps of the tg tests; 0 skips them (default ${DEFAULT-VALUE}).")
    int generate;

    @Option(names = {"-r", "--repetitions"}, defaultValue = "3", paramLabel = "N",
            description = "Timed runs of each test, after one untimed warm-up (default ${DEFAULT-VALUE}).")
    int repetitions;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "Compute threads (default: one per core).")
    Integer threads;

    @Option(names = "--batch", defaultValue = "1", paramLabel = "N",
            description = "Also measure aggregate decode speed with N sequences per step (default ${DEFAULT-VALUE}: off).")
    int batch;

    @Option(names = {"-d", "--n-depth"}, defaultValue = "0", paramLabel = "N",
            description = "Tokens already in the KV cache before each test, as llama-bench's -d (default ${DEFAULT-VALUE}).")
    int depth;

    @Option(names = {"-o", "--output"}, defaultValue = "md", paramLabel = "FORMAT",
            description = "md (a markdown table) or json (llama-bench's JSON fields) (default ${DEFAULT-VALUE}).")
    String output;

    @Mixin
    KvTypeOption kvType = new KvTypeOption();

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the random token ids (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int nThreads = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        String problem = checkOptions(nThreads);
        if (problem != null) {
            err.println("r1j bench: " + problem);
            return 2;
        }
        try {
            Path path = LogitsCommand.resolveModel(model);
            WeightTraffic traffic;
            String architecture;
            try (GgufFile file = GgufFile.open(path)) {
                traffic = WeightTraffic.of(file);
                architecture = file.metadata().getString("general.architecture");
            }
            List<BenchJson.Row> rows = new ArrayList<>();
            KvCacheType cacheType;
            try (ComputePool pool = new ComputePool(nThreads); LanguageModel lm = ModelLoader.load(path, pool)) {
                int context = lm.config().contextLength();
                if (depth + Math.max(prompt, generate) > context) {
                    err.printf("r1j bench: %d tokens (depth %d + test) exceed the model's context of %d; pass smaller -d, -p and -n%n",
                            depth + Math.max(prompt, generate), depth, context);
                    return 2;
                }
                cacheType = kvType.type() == KvCacheType.AUTO ? lm.defaultCacheType() : kvType.type();
                SpeedTest test = new SpeedTest(lm, seed, System::nanoTime, cacheType, depth);
                if (prompt > 0) rows.add(new BenchJson.Row(report(err, test.promptProcessing(prompt, repetitions)), prompt, 0, 1));
                if (generate > 0) rows.add(new BenchJson.Row(report(err, test.generation(generate, 1, repetitions)), 0, generate, 1));
                if (generate > 0 && batch > 1) {
                    rows.add(new BenchJson.Row(report(err, test.generation(generate, batch, repetitions)), 0, generate, batch));
                }
            }
            String name = path.getFileName().toString();
            if (output.equals("json")) {
                String type = "%s %s %s".formatted(architecture, String.format(Locale.ROOT, "%.2fB", traffic.parameters() / 1e9), traffic.typeMix());
                out.print(new BenchJson(name, type, nThreads, depth, cacheType.name().toLowerCase(Locale.ROOT)).render(rows));
            } else {
                out.print(new BenchTable(name, traffic, nThreads).render(rows.stream().map(BenchJson.Row::measurement).toList()));
                out.printf(Locale.ROOT, "%nweights read per decode step: %.1f MB%n", traffic.bytesPerToken() / 1e6);
            }
            out.flush();
            return 0;
        } catch (IOException | ModelLoadException | ModelStoreException | IllegalArgumentException e) {
            err.println("r1j bench: " + e.getMessage());
            return 1;
        }
    }

    /** The first invalid option, as a message saying what to pass instead; null when all are valid. */
    private String checkOptions(int nThreads) {
        if (prompt < 0) return "-p " + prompt + " is negative; pass 0 to skip prompt processing or a token count";
        if (generate < 0) return "-n " + generate + " is negative; pass 0 to skip generation or a token count";
        if (prompt == 0 && generate == 0) return "-p and -n are both 0: nothing to measure";
        if (repetitions < 1) return "-r " + repetitions + ": pass at least 1 repetition";
        if (nThreads < 1) return "-t " + nThreads + ": pass at least 1 thread";
        if (batch < 1) return "--batch " + batch + ": pass at least 1 sequence";
        if (depth < 0) return "-d " + depth + " is negative; pass 0 for an empty cache or a token count";
        if (!output.equals("md") && !output.equals("json")) return "-o " + output + ": pass md (a markdown table) or json";
        return null;
    }

    /** Progress on stderr, so that stdout holds only the table. */
    private static Measurement report(PrintWriter err, Measurement m) {
        err.printf(Locale.ROOT, "%s: %.2f t/s%n", m.test(), m.meanTokensPerSecond());
        err.flush();
        return m;
    }
}
