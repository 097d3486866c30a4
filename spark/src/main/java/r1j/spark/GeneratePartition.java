package r1j.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import r1j.engine.Choice;
import r1j.engine.Engine;
import r1j.eval.Backend;
import r1j.eval.BenchProblem;
import r1j.eval.Grader;
import r1j.eval.Graders;

/**
 * Generates one partition: on the executor's engine (continuous batching) or through its endpoint client. Every
 * row is submitted with at most {@code 2 × parallel} in flight, so the engine (or the fleet) always has the next
 * sequence waiting when one finishes, and the output rows come back in input order. A row the engine refuses (a
 * prompt longer than the context) or the endpoints fail for is written with finish reason {@code error} and the
 * message, so one bad row does not fail the job. Rows with an {@code answer} are graded when the run names a grader.
 */
final class GeneratePartition implements MapPartitionsFunction<Row, Row> {

    /** The output columns, as the batch format names them, plus the verdict of graded rows. */
    static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType, false)
            .add("reasoning", DataTypes.StringType, false)
            .add("answer", DataTypes.StringType, false)
            .add("prompt_tokens", DataTypes.IntegerType, true)   // null through endpoints: they report no count per choice here
            .add("completion_tokens", DataTypes.IntegerType, false)
            .add("finish_reason", DataTypes.StringType, false)
            .add("error", DataTypes.StringType, true)
            .add("gold", DataTypes.StringType, true)
            .add("extracted", DataTypes.StringType, true)
            .add("correct", DataTypes.BooleanType, true);

    /** What one row produced, before grading. */
    private record Generated(String reasoning, String answer, Integer promptTokens, int completionTokens,
                             String finishReason, String error) {
        static Generated failed(Throwable e) {
            return new Generated("", "", null, 0, "error", String.valueOf(e.getMessage()));
        }
    }

    private final BatchSettings settings;

    GeneratePartition(BatchSettings settings) {
        this.settings = settings;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) throws Exception {
        Semaphore inFlight = new Semaphore(2 * settings.parallel());
        Grader grader = settings.grader() == null ? null : Graders.named(settings.grader());
        List<PromptRow> inputs = new ArrayList<>();
        List<CompletableFuture<Generated>> results = new ArrayList<>();
        while (rows.hasNext()) {
            PromptRow in = PromptRow.of(rows.next());
            inFlight.acquire();
            CompletableFuture<Generated> f;
            try {
                f = settings.remote() ? remote(in) : local(in);
            } catch (RuntimeException e) { // a prompt refused at once (too long, bad ids) is that row's error
                f = CompletableFuture.completedFuture(Generated.failed(e));
            }
            f.whenComplete((g, e) -> inFlight.release());
            inputs.add(in);
            results.add(f);
        }
        List<Row> out = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            PromptRow in = inputs.get(i);
            Generated g;
            try {
                g = results.get(i).join();
            } catch (CompletionException e) {
                g = Generated.failed(e.getCause());
            }
            String extracted = null;
            Boolean correct = null;
            if (grader != null && in.gold() != null && g.error() == null) {
                extracted = grader.extract(g.answer());
                correct = extracted != null && grader.correct(new BenchProblem(in.id(), "", in.gold(), 0, ""), extracted);
            }
            out.add(RowFactory.create(in.id(), g.reasoning(), g.answer(), g.promptTokens(), g.completionTokens(),
                    g.finishReason(), g.error(), in.gold(), extracted, correct));
        }
        return out.iterator();
    }

    private CompletableFuture<Generated> local(PromptRow in) {
        Engine engine = LocalEngines.of(settings);
        return engine.submit(settings.request(in.prompt(), in.id()), (choice, reason, usage) -> { }).future()
                .thenApply(c -> {
                    Choice ch = c.first();
                    return new Generated(ch.reasoning(), ch.answer(), c.promptTokens().length,
                            ch.usage().completionTokens(), ch.finishReason().wireName(), ch.error());
                });
    }

    private CompletableFuture<Generated> remote(PromptRow in) {
        String user = in.userMessage();
        if (user == null) {
            throw new IllegalArgumentException("row '%s': --endpoint runs take single-prompt rows ({\"id\", \"prompt\"})"
                    .formatted(in.id()));
        }
        int max = settings.maxTokens() > 0 ? settings.maxTokens() : BatchSettings.ENDPOINT_MAX_TOKENS;
        Backend.Request r = new Backend.Request(user, settings.temperature(), settings.topP(), max, settings.rowSeed(in.id()));
        Backend backend = RemoteBackends.of(settings);
        CompletableFuture<Generated> f = new CompletableFuture<>();
        Thread.ofVirtual().name("r1j-batch-" + in.id()).start(() -> {
            try {
                Backend.Generation g = backend.generate(r);
                f.complete(new Generated(g.reasoning(), g.answer(), null, g.tokens(), g.finishReason(), null));
            } catch (Exception e) {
                f.complete(Generated.failed(e));
            }
        });
        return f;
    }
}
