package r1j.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One evaluation: every missing (problem, sample) pair is generated, each on its own virtual thread with at most
 * {@code concurrency} in flight, graded, and appended to {@code samples.jsonl} as it finishes; then the summary, the
 * Markdown report and the chart are written from the whole file. Rerunning with the same {@code --out} continues
 * where a stopped run left off: samples already in the file are not generated again. A larger {@code k} adds samples.
 *
 * <p>Sample {@code i} of a problem is sampled with a seed derived from the run's seed, the problem id and {@code i},
 * so a resumed run draws what the uninterrupted one would have.
 */
public final class EvalRun {
    private EvalRun() {}

    /**
     * @param k           samples per problem
     * @param temperature sampling temperature (R1: 0.6)
     * @param topP        nucleus sampling (R1: 0.95)
     * @param maxTokens   most completion tokens per sample (R1: 32768)
     * @param concurrency samples in flight at once
     * @param seed        the run's seed (samples and bootstrap)
     */
    public record Settings(int k, float temperature, float topP, int maxTokens, int concurrency, long seed) {
        public Settings {
            if (k < 1) {
                throw new IllegalArgumentException("-k %d must be at least 1".formatted(k));
            }
            if (!(temperature >= 0) || !(topP > 0 && topP <= 1)) {
                throw new IllegalArgumentException("need --temperature >= 0 and 0 < --top-p <= 1; got %s and %s".formatted(temperature, topP));
            }
            if (maxTokens < 1) {
                throw new IllegalArgumentException("--max-tokens %d must be at least 1".formatted(maxTokens));
            }
            if (concurrency < 1) {
                throw new IllegalArgumentException("--concurrency %d must be at least 1".formatted(concurrency));
            }
        }
    }

    /** What a run did and found. */
    public record Result(Summary summary, int generated, int failed, String firstFailure) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Runs (or continues) an evaluation into {@code out}.
     *
     * @param progress where the progress bar goes, or {@code null}
     * @throws IllegalArgumentException when {@code out} holds a run of another benchmark, model or sampling setting
     */
    public static Result run(Benchmark bench, Backend backend, Settings s, Path out, PrintStream progress)
            throws IOException, InterruptedException {
        Files.createDirectories(out);
        checkSameRun(out.resolve("run.json"), bench, backend.modelName(), s);
        Path samples = out.resolve("samples.jsonl");
        Set<String> done = new HashSet<>();
        for (SampleRecord r : SampleLog.read(samples)) {
            done.add(key(r.id(), r.sample()));
        }
        List<Runnable> todo = new ArrayList<>();
        AtomicInteger generated = new AtomicInteger(), failed = new AtomicInteger();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        Semaphore slots = new Semaphore(s.concurrency());
        try (SampleLog log = SampleLog.append(samples)) {
            List<Object[]> pending = new ArrayList<>();
            for (BenchProblem p : bench.problems()) {
                for (int i = 0; i < s.k(); i++) {
                    if (!done.contains(key(p.id(), i))) {
                        pending.add(new Object[] {p, i});
                    }
                }
            }
            Progress bar = new Progress(progress, pending.size(), System::nanoTime);
            for (Object[] job : pending) {
                BenchProblem p = (BenchProblem) job[0];
                int i = (Integer) job[1];
                todo.add(() -> {
                    try {
                        SampleRecord r = sample(bench, backend, s, p, i);
                        log.write(r);
                        generated.incrementAndGet();
                        bar.sampleDone(r.tokens(), r.correct());
                    } catch (IOException | RuntimeException e) {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, p.id() + " sample " + i + ": " + e.getMessage());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        slots.release();
                    }
                });
            }
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (Runnable task : todo) {
                    slots.acquire();
                    threads.execute(task);
                }
            }
            if (!pending.isEmpty()) {
                bar.finish();
            }
        }
        Summary summary = writeReports(bench, backend.modelName(), s, out);
        return new Result(summary, generated.get(), failed.get(), firstFailure.get());
    }

    /** Recomputes the summary from {@code samples.jsonl} and writes summary.json, summary.md and chart.html. */
    public static Summary writeReports(Benchmark bench, String model, Settings s, Path out) throws IOException {
        Summary summary = Summary.of(bench, model, s.k(), SampleLog.read(out.resolve("samples.jsonl")), s.seed());
        Map<String, Object> settings = settings(s);
        Files.writeString(out.resolve("summary.json"), SummaryWriter.json(summary, settings), StandardCharsets.UTF_8);
        Files.writeString(out.resolve("summary.md"), SummaryWriter.markdown(summary, settings), StandardCharsets.UTF_8);
        Files.writeString(out.resolve("chart.html"), Chart.html(summary), StandardCharsets.UTF_8);
        return summary;
    }

    private static SampleRecord sample(Benchmark bench, Backend backend, Settings s, BenchProblem p, int i)
            throws IOException, InterruptedException {
        String prompt = bench.prompt(p);
        long t0 = System.nanoTime();
        Backend.Generation g = backend.generate(new Backend.Request(prompt, s.temperature(), s.topP(), s.maxTokens(),
                sampleSeed(s.seed(), p.id(), i)));
        double seconds = (System.nanoTime() - t0) / 1e9;
        String extracted = bench.grader().extract(g.answer());
        boolean correct = extracted != null && bench.grader().correct(p, extracted);
        return new SampleRecord(p.id(), i, prompt, g.reasoning(), g.answer(), extracted, p.answer(), correct,
                g.tokens(), seconds, g.finishReason());
    }

    /** A non-negative seed for one sample, fixed by the run's seed, the problem and the sample index. */
    static long sampleSeed(long seed, String id, int sample) {
        long h = seed * 0x9E3779B97F4A7C15L + id.hashCode() * 0xBF58476D1CE4E5B9L + sample * 0x94D049BB133111EBL;
        h ^= h >>> 31;
        return h & Long.MAX_VALUE;
    }

    private static String key(String id, int sample) {
        return id + "\u0000" + sample;
    }

    private static Map<String, Object> settings(Settings s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("temperature", s.temperature());
        m.put("top_p", s.topP());
        m.put("max_tokens", s.maxTokens());
        m.put("seed", s.seed());
        return m;
    }

    /** Records the run's identity in run.json, or checks that the folder's earlier run had the same one. */
    private static void checkSameRun(Path file, Benchmark bench, String model, Settings s) throws IOException {
        Map<String, Object> id = new LinkedHashMap<>();
        id.put("bench", bench.name());
        id.put("model", model);
        id.putAll(settings(s));
        JsonNode now = JSON.readTree(JSON.writeValueAsString(id)); // as it reads back from the file (0.6f as 0.6)
        if (Files.exists(file)) {
            JsonNode before = JSON.readTree(file.toFile());
            if (!before.equals(now)) {
                throw new IllegalArgumentException("%s holds a run with %s, not %s; use another --out to start a new run"
                        .formatted(file.getParent(), before, now));
            }
            return;
        }
        Files.writeString(file, JSON.writeValueAsString(now) + "\n", StandardCharsets.UTF_8);
    }
}
