package r1j.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import r1j.eval.BenchProblem;
import r1j.eval.Benchmark;
import r1j.eval.Benchmarks;

import static org.apache.spark.sql.functions.col;

/**
 * The Spark plan of {@code r1j batch}: read the prompts, drop the ids the output already holds (a rerun continues
 * where the last one stopped: Spark commits each task's part file whole, so a killed run leaves only finished
 * rows), generate each partition on its executor's engine, and append the new rows.
 *
 * @param input      prompts, {@code .jsonl}/{@code .json} (one JSON object a line) or {@code .parquet}, or
 *                   {@code bench:NAME} for the problems of one of r1j's benchmarks (aime24, aime25, math500, gsm8k,
 *                   arithmetic, countdown) with their answers and the R1 paper's prompt
 * @param output     the output folder
 * @param format     {@code json} or {@code parquet} for the output part files
 * @param partitions how many partitions to generate in (0: Spark's default for the input)
 */
public record BatchJob(String input, String output, String format, int partitions, BatchSettings settings) {

    public BatchJob {
        if (!format.equals("json") && !format.equals("parquet")) {
            throw new IllegalArgumentException("output format '%s' is not supported; use json or parquet".formatted(format));
        }
        if (partitions < 0) throw new IllegalArgumentException("partitions %d must not be negative".formatted(partitions));
    }

    /** What one run did. */
    /**
     * @param graded  rows of the whole output (this run and earlier ones) that carry a verdict
     * @param correct of those, the correct ones
     */
    public record Result(long inputRows, long skipped, long generated, long graded, long correct) {}

    /** Runs the job on {@code spark}; blocks until the rows are written. */
    public Result run(SparkSession spark) throws IOException {
        Dataset<Row> prompts = read(spark, input);
        if (!PromptRow.has(prompts.schema(), "id")) {
            throw new IllegalArgumentException("input " + input + " has no \"id\" column");
        }
        prompts = prompts.withColumn("id", col("id").cast("string"));
        long total = prompts.count();
        Dataset<Row> todo = prompts;
        if (hasRows(spark, output)) {
            Dataset<Row> done = spark.read().format(format).load(output).select(col("id").as("done_id"));
            todo = prompts.join(done, prompts.col("id").equalTo(done.col("done_id")), "left_anti");
        }
        todo = todo.cache();
        long pending = todo.count();
        if (pending > 0) {
            Dataset<Row> parts = partitions > 0 ? todo.repartition(partitions) : todo;
            parts.mapPartitions(new GeneratePartition(settings), Encoders.row(GeneratePartition.SCHEMA))
                    .write().mode(SaveMode.Append).format(format).save(output);
        }
        todo.unpersist();
        long graded = 0, correct = 0;
        if (hasRows(spark, output)) {
            Dataset<Row> all = spark.read().format(format).load(output);
            if (PromptRow.has(all.schema(), "correct")) {
                graded = all.filter(col("correct").isNotNull()).count();
                correct = all.filter(col("correct").equalTo(true)).count();
            }
        }
        return new Result(total, total - pending, pending, graded, correct);
    }

    private static Dataset<Row> read(SparkSession spark, String path) throws IOException {
        if (path.startsWith("bench:")) return bench(spark, path.substring("bench:".length()));
        String p = path.toLowerCase(java.util.Locale.ROOT);
        if (p.endsWith(".parquet")) return spark.read().parquet(path);
        if (p.endsWith(".jsonl") || p.endsWith(".json") || p.endsWith(".ndjson")) return spark.read().json(path);
        throw new IllegalArgumentException("input " + path + ": use a .jsonl (one JSON object a line) or .parquet file");
    }

    /**
     * A benchmark's problems as rows {@code id, prompt, answer}, built on the driver (no file for executors to find):
     * rejection sampling for distillation data is {@code bench:math500} with {@code -k}-fold reruns under new seeds.
     */
    private static Dataset<Row> bench(SparkSession spark, String name) throws IOException {
        Benchmark b = Benchmarks.load(name, null);
        List<Row> rows = new ArrayList<>();
        for (BenchProblem p : b.problems()) rows.add(RowFactory.create(p.id(), b.prompt(p), p.answer()));
        StructType schema = new StructType().add("id", DataTypes.StringType).add("prompt", DataTypes.StringType)
                .add("answer", DataTypes.StringType);
        return spark.createDataFrame(rows, schema);
    }

    /** Whether {@code dir} already holds data files of an earlier run. */
    private static boolean hasRows(SparkSession spark, String dir) throws IOException {
        Path p = new Path(dir);
        FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (!fs.exists(p)) return false;
        for (FileStatus f : fs.listStatus(p)) {
            if (f.isFile() && f.getPath().getName().startsWith("part-")) return true;
        }
        return false;
    }
}
