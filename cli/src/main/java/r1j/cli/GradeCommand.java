package r1j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import r1j.eval.grade.Grading;
import r1j.eval.grade.MathEquivalence;

/**
 * {@code r1j grade FILE.jsonl}: for each line {@code {"gold": …, "pred": …}} prints {@code {"equal": true|false}}, in
 * order; {@code -} reads standard input. Each side may be a bare answer or a whole solution (its final answer is
 * extracted), and equivalence is the same as {@code r1j eval}'s.
 */
@Command(name = "grade", mixinStandardHelpOptions = true,
        description = "Judge answer equivalence: {\"gold\",\"pred\"} lines in, {\"equal\": true|false} lines out.")
public final class GradeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "a JSONL file of {\"gold\", \"pred\"} lines, or - for standard input")
    String file;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        EvalCommand.quietSymjaLogs();
        ObjectMapper json = new ObjectMapper();
        Grading grading = new Grading(MathEquivalence.shared());
        try (BufferedReader in = file.equals("-")
                ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                : Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = in.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = json.readTree(line);
                } catch (IOException e) {
                    err.printf("r1j grade: line %d is not JSON: %s%n", n, e.getMessage());
                    return 2;
                }
                if (!node.isObject() || !node.has("gold") || !node.has("pred")) {
                    err.printf("r1j grade: line %d needs \"gold\" and \"pred\" fields%n", n);
                    return 2;
                }
                boolean equal = grading.equal(text(node.get("gold")), text(node.get("pred")));
                out.println(equal ? "{\"equal\": true}" : "{\"equal\": false}");
                out.flush();
            }
        } catch (IOException e) {
            err.println("r1j grade: cannot read " + file + ": " + e.getMessage());
            return 1;
        }
        return 0;
    }

    private static String text(JsonNode n) {
        return n.isTextual() ? n.asText() : n.isNull() ? "" : n.toString();
    }
}
