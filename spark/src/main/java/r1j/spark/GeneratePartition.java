package r1j.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import r1j.engine.Choice;
import r1j.engine.Completion;
import r1j.engine.Engine;

/**
 * Generates one partition on the executor's engine: every row is submitted (at most {@code 2 × parallel} in
 * flight, so the engine always has the next sequence waiting when one finishes) and the output rows come back in
 * input order. A row the engine refuses (a prompt longer than the context) is written with finish reason
 * {@code error} and the message, so one bad row does not fail the job.
 */
final class GeneratePartition implements MapPartitionsFunction<Row, Row> {

    /** The output columns, as the batch format names them. */
    static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType, false)
            .add("reasoning", DataTypes.StringType, false)
            .add("answer", DataTypes.StringType, false)
            .add("prompt_tokens", DataTypes.IntegerType, false)
            .add("completion_tokens", DataTypes.IntegerType, false)
            .add("finish_reason", DataTypes.StringType, false)
            .add("error", DataTypes.StringType, true);

    private final BatchSettings settings;

    GeneratePartition(BatchSettings settings) {
        this.settings = settings;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) throws Exception {
        Engine engine = LocalEngines.of(settings);
        Semaphore inFlight = new Semaphore(2 * settings.parallel());
        List<PromptRow> inputs = new ArrayList<>();
        List<CompletableFuture<Completion>> results = new ArrayList<>();
        while (rows.hasNext()) {
            PromptRow in = PromptRow.of(rows.next());
            inFlight.acquire();
            CompletableFuture<Completion> f;
            try {
                f = engine.submit(settings.request(in.prompt(), in.id()), (choice, reason, usage) -> { }).future();
            } catch (RuntimeException e) { // a prompt the engine refuses (too long, bad ids) is that row's error
                f = CompletableFuture.failedFuture(e);
            }
            f.whenComplete((c, e) -> inFlight.release());
            inputs.add(in);
            results.add(f);
        }
        List<Row> out = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            String id = inputs.get(i).id();
            Completion c;
            try {
                c = results.get(i).join();
            } catch (java.util.concurrent.CompletionException e) {
                out.add(RowFactory.create(id, "", "", 0, 0, "error", String.valueOf(e.getCause().getMessage())));
                continue;
            }
            Choice ch = c.first();
            out.add(RowFactory.create(id, ch.reasoning(), ch.answer(), c.promptTokens().length,
                    ch.usage().completionTokens(), ch.finishReason().wireName(), ch.error()));
        }
        return out.iterator();
    }
}
