package r1j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import r1j.cli.chat.ContextSize;
import r1j.cli.store.ModelResolver;
import r1j.cli.store.ModelStoreException;
import r1j.cli.store.StoreConfig;
import r1j.engine.Engine;
import r1j.engine.EngineOptions;
import r1j.eval.Backend;
import r1j.eval.Benchmark;
import r1j.eval.Benchmarks;
import r1j.eval.EndpointPool;
import r1j.eval.EngineBackend;
import r1j.eval.EvalRun;
import r1j.eval.OpenAiEndpoint;
import r1j.eval.Summary;
import r1j.model.ModelLoadException;
import r1j.train.recipe.Evaluator;
import r1j.train.recipe.HeldOut;

/**
 * {@code r1j eval}: a benchmark the DeepSeek-R1 paper's way (the R1 prompt, k samples at T=0.6, top-p 0.95, pass@1,
 * cons@k and pass@k with 95% intervals) on the in-process engine ({@code -m}) or any OpenAI-compatible endpoint
 * ({@code --endpoint}). Samples, summary and chart go to {@code --out}; a rerun continues a stopped run.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a model on AIME, MATH-500, GSM8K, the tiny-R1 tasks or a JSONL file (pass@1, cons@k, pass@k).")
public final class EvalCommand implements Callable<Integer> {
    @Option(names = "--bench", required = true, paramLabel = "NAME|FILE",
            description = "aime24, aime25, math500, gsm8k, arithmetic, countdown, a JSONL file of {\"id\",\"problem\",\"answer\"} lines,"
                    + " or chat (the built-in model's held-out conversations posted to r1j serve: single, turn3, system, offtopic, sub-4)")
    String bench;

    @Option(names = "--grader", defaultValue = "math", description = "for a JSONL file: math, number, choice or exact (default: ${DEFAULT-VALUE})")
    String grader;

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL",
            description = "GGUF file or stored model name, run in process (default: the built-in tiny-r1)")
    String model;

    @Option(names = "--endpoint", paramLabel = "URL", description = "an OpenAI-compatible server instead of -m (http://host:port or …/v1);"
            + " give it several times for a pool: least outstanding work first, a failing endpoint is taken out and probed back in")
    List<String> endpoints = new ArrayList<>();

    @Option(names = "--api-key", paramLabel = "KEY", description = "bearer token for --endpoint (default: $R1J_API_KEY)")
    String apiKey;

    @Option(names = "--model-name", paramLabel = "NAME", description = "the model field sent to --endpoint")
    String modelName;

    @Option(names = "-k", defaultValue = "1", description = "samples per problem (default: ${DEFAULT-VALUE}; the R1 paper uses 64 for AIME)")
    int k;

    @Option(names = "--temperature", defaultValue = "0.6", description = "sampling temperature (default: ${DEFAULT-VALUE})")
    float temperature;

    @Option(names = "--top-p", defaultValue = "0.95", description = "nucleus sampling (default: ${DEFAULT-VALUE})")
    float topP;

    @Option(names = "--max-tokens", defaultValue = "32768", description = "most tokens per sample, thought and answer (default: ${DEFAULT-VALUE})")
    int maxTokens;

    @Option(names = "--concurrency", defaultValue = "8", description = "samples generated at once (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--limit", paramLabel = "N", description = "only the first N problems")
    Integer limit;

    @Option(names = "--subset", paramLabel = "LIST", description = "levels and/or subjects of MATH-500, comma separated: 1 or 1,2 or algebra")
    String subset;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the samples and the bootstrap (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = {"-c", "--ctx-size"}, paramLabel = "N", description = "tokens per engine slot with -m (default: the model's, at most max-tokens + 2048)")
    Integer ctxSize;

    @Option(names = "--timeout", defaultValue = "3600", paramLabel = "SECONDS", description = "per --endpoint request (default: ${DEFAULT-VALUE})")
    int timeout;

    @Option(names = "--out", paramLabel = "DIR", description = "folder for samples.jsonl, summary.json, summary.md, chart.html (default: eval-BENCH)")
    Path out;

    @Option(names = "--quiet", description = "no progress bar")
    boolean quiet;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter o = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        if (bench.equals("chat")) {
            return chat(o, err);
        }
        quietSymjaLogs();
        Benchmark b;
        EvalRun.Settings settings;
        try {
            if (model != null && !endpoints.isEmpty()) {
                throw new IllegalArgumentException("give -m MODEL or --endpoint URL, not both");
            }
            if (!endpoints.isEmpty() && modelName == null) {
                throw new IllegalArgumentException("--endpoint needs --model-name NAME (the model field of each request)");
            }
            b = Benchmarks.load(bench, grader);
            if (subset != null) {
                b = b.subset(subset);
            }
            if (limit != null) {
                b = b.limit(limit);
            }
            settings = new EvalRun.Settings(k, temperature, topP, maxTokens, concurrency, seed);
        } catch (IllegalArgumentException | IOException e) {
            err.println("r1j eval: " + e.getMessage());
            return 2;
        }
        Path dir = out != null ? out : Path.of("eval-" + b.name());
        Backend backend;
        try {
            backend = !endpoints.isEmpty() ? endpoint() : engine();
        } catch (IllegalArgumentException | IOException | ModelLoadException | ModelStoreException e) {
            err.println("r1j eval: cannot load model: " + e.getMessage());
            return 1;
        }
        EvalRun.Result result;
        try (backend) {
            PrintStream bar = quiet ? null : System.err;
            result = EvalRun.run(b, backend, settings, dir, bar);
        } catch (IllegalArgumentException e) {
            err.println("r1j eval: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("r1j eval: " + e.getMessage());
            return 1;
        }
        print(o, result.summary(), dir);
        if (result.failed() > 0) {
            err.printf("r1j eval: %d samples failed (first: %s); run the same command again to retry them%n",
                    result.failed(), result.firstFailure());
            return 1;
        }
        return 0;
    }

    /**
     * Greedy accuracy of the tiny R1 on its held-out conversations, posted through {@code r1j serve}'s
     * chat-completions API: a running server given by {@code --endpoint}, or one started in-process on the model (the
     * built-in one by default). {@code --limit} conversations per split (default 200).
     */
    private int chat(PrintWriter out, PrintWriter err) throws InterruptedException {
        int n = limit != null ? limit : 200;
        if (n < 1 || endpoints.size() > 1) {
            err.println("r1j eval: the chat bench needs --limit >= 1 and at most one --endpoint");
            return 2;
        }
        out.printf("%-10s %s%n", "split", "greedy accuracy through r1j serve [95% CI]");
        try (ServedEvaluation.Served served = !endpoints.isEmpty() ? null : ServedEvaluation.serve(
                model != null ? LogitsCommand.resolveModel(model) : new ModelResolver(StoreConfig.fromSystem().store()).locateDefault(),
                64, 0, Runtime.getRuntime().availableProcessors())) {
            String base = !endpoints.isEmpty() ? endpoints.getFirst().replaceAll("/+$", "").replaceAll("/v1$", "") : served.baseUrl();
            List<String> splits = new ArrayList<>(HeldOut.TARGETS);
            splits.addAll(HeldOut.OTHERS);
            for (String split : splits) {
                Evaluator.Score score = ServedEvaluation.evaluate(base, HeldOut.split(split, n), 512, 64);
                out.printf("%-10s %s%n", split, score);
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            err.println("r1j eval: " + e.getMessage());
            return 1;
        }
        return 0;
    }

    /**
     * Symja's polynomial library (JAS) logs every factorisation at INFO; the terminal shows errors only. Set before
     * the first check creates those loggers (slf4j-simple reads per-logger levels from system properties then).
     */
    static void quietSymjaLogs() {
        for (String name : new String[] {"edu.jas", "org.matheclipse", "org.hipparchus", "org.logicng"}) {
            // TeXParser warns about every answer it cannot read, which is normal input for a grader
            System.setProperty("org.slf4j.simpleLogger.log." + name, "error");
        }
    }

    private Backend endpoint() {
        String key = apiKey != null ? apiKey : System.getenv("R1J_API_KEY");
        if (endpoints.size() == 1) {
            return new OpenAiEndpoint(endpoints.getFirst(), key, modelName, Duration.ofSeconds(timeout), 6, Duration.ofSeconds(1));
        }
        return EndpointPool.of(endpoints, key, modelName, Duration.ofSeconds(timeout));
    }

    private Backend engine() throws IOException {
        Path file = model != null ? LogitsCommand.resolveModel(model)
                : new ModelResolver(StoreConfig.fromSystem().store()).locateDefault();
        int cap = (int) Math.min(Integer.MAX_VALUE, (long) maxTokens + 2048);
        EngineOptions options = EngineOptions.defaults().withParallel(concurrency)
                .withContextSize(ContextSize.choose(file, ctxSize, cap)).withMaxQueue(Math.max(64, concurrency));
        return new EngineBackend(Engine.load(file, options), true);
    }

    private static void print(PrintWriter o, Summary s, Path dir) {
        o.printf("%s, %s: %d problems x k=%d%n", s.bench(), s.model(), s.problems(), s.k());
        figure(o, "pass@1", s.passAt1());
        figure(o, "cons@" + s.k(), s.consAtK());
        figure(o, "pass@" + s.k(), s.passAtK());
        s.byLevel().forEach((level, f) -> figure(o, "  level " + level, f));
        if (s.bySubject().size() <= 10) {
            s.bySubject().forEach((subject, f) -> figure(o, "  " + subject, f));
        }
        o.printf("mean tokens %.0f (right %.0f, wrong %.0f); %d cut by --max-tokens%n", s.tokens().all().mean(),
                s.tokens().right().mean(), s.tokens().wrong().mean(), s.truncated());
        o.println("samples, summary.md, summary.json and chart.html in " + dir);
        o.flush();
    }

    private static void figure(PrintWriter o, String name, Summary.Figure f) {
        o.printf("%-26s %5.1f%% [%.1f, %.1f]%n", name, 100 * f.value(), 100 * f.lo(), 100 * f.hi());
    }
}
