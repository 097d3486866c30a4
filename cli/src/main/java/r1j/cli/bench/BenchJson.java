package r1j.cli.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * {@code r1j bench -o json}: one object per test in llama-bench's JSON field names ({@code llama-bench -o json}), so
 * one script can read both programs' results: {@code model_filename}, {@code model_type}, {@code n_prompt},
 * {@code n_gen}, {@code n_depth}, {@code n_threads}, {@code avg_ts}, {@code stddev_ts}, {@code samples_ts}; plus r1j's
 * {@code n_seq} (sequences decoded together, {@code --batch}), {@code test} (the table's name for it) and
 * {@code type_k}/{@code type_v} (the KV cache type).
 *
 * @param modelFilename the GGUF file's name
 * @param modelType     architecture, size and weight types, e.g. {@code qwen2 1.78B Q8_0}
 * @param threads       compute threads
 * @param depth         tokens in the cache before each test
 * @param cacheType     the KV cache type the tests used, lower case ({@code f16})
 */
public record BenchJson(String modelFilename, String modelType, int threads, int depth, String cacheType) {

    /**
     * One test.
     *
     * @param measurement its timings
     * @param prompt      prompt tokens processed in one step (pp), else 0
     * @param generated   decode steps (tg), else 0
     * @param sequences   sequences per step
     */
    public record Row(Measurement measurement, int prompt, int generated, int sequences) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The JSON array, pretty-printed, ending with a newline. */
    public String render(List<Row> rows) {
        ArrayNode array = JSON.createArrayNode();
        for (Row r : rows) {
            Measurement m = r.measurement();
            ObjectNode o = array.addObject();
            o.put("model_filename", modelFilename);
            o.put("model_type", modelType);
            o.put("n_prompt", r.prompt());
            o.put("n_gen", r.generated());
            o.put("n_depth", depth);
            o.put("n_seq", r.sequences());
            o.put("n_threads", threads);
            o.put("type_k", cacheType);
            o.put("type_v", cacheType);
            o.put("test", m.test());
            o.put("avg_ts", m.meanTokensPerSecond());
            o.put("stddev_ts", m.stddevTokensPerSecond());
            ArrayNode samples = o.putArray("samples_ts");
            for (double s : m.seconds()) samples.add(m.tokens() / s);
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(array) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the bench JSON", e);
        }
    }
}
