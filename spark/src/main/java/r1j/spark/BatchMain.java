package r1j.spark;

import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code r1j batch}: batch generation as a Spark job. Runs embedded on {@code local[*]} by default, on any master
 * with {@code --spark}, and unchanged under {@code spark-submit --class r1j.spark.BatchMain r1j-spark.jar …}
 * (where spark-submit's master wins).
 */
@Command(name = "batch", mixinStandardHelpOptions = true,
        description = "Generate answers for every prompt of a file as an Apache Spark job (reruns skip finished ids).")
public final class BatchMain implements Callable<Integer> {

    @Option(names = "--input", paramLabel = "FILE",
            description = "Prompts: .jsonl lines {\"id\", \"prompt\"} or {\"id\", \"messages\": [...]} (+ \"answer\" to grade), or .parquet.")
    String input;

    @Option(names = "--bench", paramLabel = "NAME",
            description = "Instead of --input: the problems of aime24, aime25, math500, gsm8k, arithmetic or countdown, graded.")
    String bench;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Output folder (rows are appended).")
    String output;

    @Option(names = {"-m", "--model"}, paramLabel = "FILE",
            description = "GGUF file, at the same path on every executor (a shared volume on a cluster).")
    String model;

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "Instead of -m: an OpenAI-compatible server; several make a pool (least outstanding work first).")
    java.util.List<String> endpoints = new java.util.ArrayList<>();

    @Option(names = "--api-key", paramLabel = "KEY", description = "Bearer token for --endpoint (default: $R1J_API_KEY).")
    String apiKey;

    @Option(names = "--model-name", paramLabel = "NAME", description = "The model field sent to --endpoint.")
    String modelName;

    @Option(names = "--grader", defaultValue = "math",
            description = "How rows with an \"answer\" are checked: math, number, choice, exact, or none (default ${DEFAULT-VALUE}).")
    String grader;

    @Option(names = "--spark", paramLabel = "MASTER",
            description = "Spark master (default: spark-submit's, else local[*]).")
    String master;

    @Option(names = "--format", defaultValue = "json", description = "Output part files: json or parquet (default ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--partitions", defaultValue = "0", paramLabel = "N", description = "Partitions to generate in (default: Spark's).")
    int partitions;

    @Option(names = {"-np", "--parallel"}, defaultValue = "8", paramLabel = "N",
            description = "Sequences each executor's engine decodes together (default ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = {"-c", "--ctx-size"}, defaultValue = "0", paramLabel = "N", description = "Context per sequence (default: the model's).")
    int contextSize;

    @Option(names = {"-t", "--threads"}, defaultValue = "0", paramLabel = "N", description = "Compute threads per executor (default: one per core).")
    int threads;

    @Option(names = "--temperature", defaultValue = "0.6", description = "Sampling temperature, 0 = greedy (default ${DEFAULT-VALUE}).")
    float temperature;

    @Option(names = "--top-p", defaultValue = "0.95", description = "Nucleus sampling threshold (default ${DEFAULT-VALUE}).")
    float topP;

    @Option(names = "--seed", defaultValue = "-1", description = "Base seed; each row samples with seed + hash(id) (default: random).")
    long seed;

    @Option(names = {"-n", "--max-tokens"}, defaultValue = "-1", paramLabel = "N", description = "Most tokens per answer, thought included (default: the context).")
    int maxTokens;

    @Option(names = "--thinking-budget", defaultValue = "-1", paramLabel = "N", description = "Most reasoning tokens (default: unlimited).")
    int thinkingBudget;

    @Override
    public Integer call() throws Exception {
        if ((input == null) == (bench == null)) throw new IllegalArgumentException("give --input FILE or --bench NAME");
        String key = apiKey != null ? apiKey : System.getenv("R1J_API_KEY");
        String graderName = bench != null && bench.equals("gsm8k") && grader.equals("math") ? "number" : grader;
        BatchSettings settings = new BatchSettings(model, endpoints, key, modelName, parallel, contextSize, threads,
                temperature, topP, seed, maxTokens, thinkingBudget, graderName.equals("none") ? null : graderName);
        BatchJob job = new BatchJob(bench != null ? "bench:" + bench : input, output, format, partitions, settings);
        SparkConf conf = new SparkConf().setAppName("r1j batch").set("spark.ui.showConsoleProgress", "false");
        if (master != null) conf.setMaster(master);
        else if (!conf.contains("spark.master")) conf.setMaster("local[*]");
        try (SparkSession spark = SparkSession.builder().config(conf).getOrCreate()) {
            BatchJob.Result r = job.run(spark);
            System.err.printf("r1j batch: %d input rows, %d already in %s, %d generated%n",
                    r.inputRows(), r.skipped(), output, r.generated());
            if (r.graded() > 0) {
                System.err.printf("r1j batch: %d of %d graded rows correct (%.1f%%)%n", r.correct(), r.graded(),
                        100.0 * r.correct() / r.graded());
            }
        }
        return 0;
    }

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new BatchMain());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("r1j batch: " + e.getMessage());
            return 1;
        });
        System.exit(cl.execute(args));
    }
}
