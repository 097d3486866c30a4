package r1j.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmarks r1j ships (AIME 2024 and 2025, MATH-500, GSM8K test, and fixed held-out sets of the tiny-R1
 * arithmetic and countdown tasks) and custom JSONL files of {@code {"id", "problem", "answer"}} lines. The datasets'
 * sources and licences are in the README; the files are the sources' own rows, mapped to {@link BenchProblem} here.
 */
public final class Benchmarks {
    private Benchmarks() {}

    /** Names {@link #load} knows besides a file path. */
    public static final List<String> BUILT_IN = List.of("aime24", "aime25", "math500", "gsm8k", "arithmetic", "countdown");

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A built-in benchmark by name, or a JSONL file (graded with {@code grader}: math, number, choice or exact).
     *
     * @throws IllegalArgumentException for an unknown name, a missing file or a malformed line (named by number)
     */
    public static Benchmark load(String nameOrFile, String grader) throws IOException {
        return switch (nameOrFile) {
            case "aime24" -> new Benchmark("aime24", aime(resource("aime2024.jsonl")), Graders.math(), true);
            case "aime25" -> new Benchmark("aime25", aime(resource("aime2025.jsonl")), Graders.math(), true);
            case "math500" -> new Benchmark("math500", math500(resource("math500.jsonl")), Graders.math(), true);
            case "gsm8k" -> new Benchmark("gsm8k", gsm8k(resource("gsm8k.jsonl")), Graders.number(), true);
            case "arithmetic" -> new Benchmark("arithmetic", custom(resource("arithmetic.jsonl"), "arithmetic"), Graders.number(), false);
            case "countdown" -> new Benchmark("countdown", custom(resource("countdown.jsonl"), "countdown"), new Countdown(), false);
            default -> {
                Path file = Path.of(nameOrFile);
                if (!Files.isRegularFile(file)) {
                    throw new IllegalArgumentException("--bench '%s' is neither a built-in benchmark (%s) nor a file"
                            .formatted(nameOrFile, String.join(", ", BUILT_IN)));
                }
                String name = file.getFileName().toString().replaceFirst("\\.jsonl$", "");
                yield new Benchmark(name, custom(Files.readAllLines(file, StandardCharsets.UTF_8), nameOrFile),
                        Graders.named(grader), true);
            }
        };
    }

    private static List<BenchProblem> aime(List<String> lines) {
        return map(lines, "aime", n -> new BenchProblem(text(n, "id"), text(n, "problem"), text(n, "answer"), 0, ""));
    }

    private static List<BenchProblem> math500(List<String> lines) {
        return map(lines, "math500", n -> new BenchProblem(text(n, "unique_id"), text(n, "problem"), text(n, "answer"),
                n.path("level").asInt(0), text(n, "subject")));
    }

    /** GSM8K: the answer is the worked solution; the final answer follows {@code ####}, thousands separators dropped. */
    private static List<BenchProblem> gsm8k(List<String> lines) {
        List<BenchProblem> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            JsonNode n = parse(lines.get(i), "gsm8k", i);
            String solution = text(n, "answer");
            int mark = solution.lastIndexOf("####");
            if (mark < 0) {
                throw new IllegalArgumentException("gsm8k line %d has no '####' final answer".formatted(i + 1));
            }
            out.add(new BenchProblem("gsm8k/" + i, text(n, "question"),
                    solution.substring(mark + 4).strip().replace(",", ""), 0, ""));
        }
        return out;
    }

    /** Lines of {@code {"id", "problem", "answer"}}, with optional {@code level} and {@code subject}. */
    static List<BenchProblem> custom(List<String> lines, String source) {
        return map(lines, source, n -> new BenchProblem(text(n, "id"), text(n, "problem"), text(n, "answer"),
                n.path("level").asInt(0), n.path("subject").asText("")));
    }

    private static List<BenchProblem> map(List<String> lines, String source, java.util.function.Function<JsonNode, BenchProblem> f) {
        List<BenchProblem> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            JsonNode n = parse(lines.get(i), source, i);
            try {
                out.add(f.apply(n));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("%s line %d: %s".formatted(source, i + 1, e.getMessage()), e);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(source + " has no problems");
        }
        return out;
    }

    private static JsonNode parse(String line, String source, int index) {
        try {
            JsonNode n = JSON.readTree(line);
            if (!n.isObject()) {
                throw new IllegalArgumentException("%s line %d is not a JSON object".formatted(source, index + 1));
            }
            return n;
        } catch (IOException e) {
            throw new IllegalArgumentException("%s line %d is not JSON: %s".formatted(source, index + 1, e.getMessage()), e);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("missing field \"%s\"".formatted(field));
        }
        return v.isTextual() ? v.asText() : v.toString();
    }

    private static List<String> resource(String name) {
        try (InputStream in = Benchmarks.class.getResourceAsStream("/r1j/eval/data/" + name)) {
            if (in == null) {
                throw new IllegalStateException("this build lacks the dataset resource " + name);
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
