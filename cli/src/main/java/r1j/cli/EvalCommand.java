package r1j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import r1j.cli.store.ModelResolver;
import r1j.cli.store.StoreConfig;
import r1j.train.data.TinyVocab;
import r1j.train.nn.Params;
import r1j.train.recipe.Evaluator;
import r1j.train.recipe.GgufExport;
import r1j.train.recipe.HeldOut;
import r1j.train.task.Problem;
import r1j.train.task.Tasks;

/**
 * {@code r1j eval --bench arithmetic|countdown}: held-out accuracy of a tiny-R1-format model, greedy and sampled
 * pass@1 over k, with 95% intervals.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Held-out accuracy on the tiny-R1 benchmarks (greedy and sampled pass@1 over k).")
public final class EvalCommand implements Callable<Integer> {
    @Option(names = "--bench", required = true, description = "chat (held-out conversations posted to r1j serve: "
            + "single, turn3, system, offtopic, sub-4), arithmetic (add/sub/mul, 3 digits; 4-digit add/sub) or countdown")
    String bench;

    @Option(names = {"-m", "--model"}, description = "GGUF written by r1j train (default: the built-in tiny-r1)")
    Path model;

    @Option(names = {"-n", "--problems"}, defaultValue = "100", description = "held-out problems per split (default: ${DEFAULT-VALUE})")
    int problems;

    @Option(names = {"-k", "--samples"}, defaultValue = "4", description = "samples per problem for pass@1 (default: ${DEFAULT-VALUE}; 0 skips)")
    int k;

    @Option(names = "--temperature", defaultValue = "0.6", description = "sampling temperature for pass@1 (default: ${DEFAULT-VALUE})")
    float temperature;

    @Option(names = "--seed", defaultValue = "1", description = "sampling seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Spec
    CommandSpec spec;

    @Option(names = "--url", description = "chat bench: post to this running r1j serve (e.g. http://127.0.0.1:8080) "
            + "instead of starting one in-process on the model")
    String url;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        if (bench.equals("chat")) {
            return chat(out, err);
        }
        List<String[]> splits = switch (bench) {
            case "arithmetic" -> List.of(new String[] {"add", "3"}, new String[] {"sub", "3"}, new String[] {"mul", "3"},
                    new String[] {"add", "4"}, new String[] {"sub", "4"});
            case "countdown" -> List.of(new String[] {"countdown", "3"}, new String[] {"countdown", "4"});
            default -> null;
        };
        if (splits == null) {
            err.println("r1j eval: unknown bench '%s'; use chat, arithmetic or countdown".formatted(bench));
            return 2;
        }
        if (problems < 1 || k < 0) {
            err.println("r1j eval: need --problems >= 1 and --samples >= 0");
            return 2;
        }
        Params params;
        try {
            params = model == null ? builtIn() : GgufExport.read(model);
        } catch (IOException e) {
            err.println("r1j eval: cannot load model: " + e.getMessage());
            return 1;
        }
        TinyVocab vocab = new TinyVocab();
        out.printf("%-12s %-44s %s%n", "split", "greedy accuracy [95% CI]", k > 0 ? "pass@1 over k=" + k + " (T=" + temperature + ")" : "");
        for (String[] split : splits) {
            List<Problem> test = Tasks.testSet(split[0], Integer.parseInt(split[1]), problems, 1234);
            int budget = params.config().context(); // a 3-digit x 2-digit trace is ~300 tokens
            Evaluator.Score greedy = Evaluator.evaluate(params, vocab, test, 1, 0f, budget, new SplittableRandom(seed));
            String sampled = "";
            if (k > 0) {
                sampled = Evaluator.evaluate(params, vocab, test, k, temperature, budget, new SplittableRandom(seed + 1)).toString();
            }
            out.printf("%-12s %-44s %s%n", split[0] + "-" + split[1], greedy, sampled);
            out.flush();
        }
        return 0;
    }

    /**
     * Greedy accuracy on the held-out conversations, posted through {@code r1j serve}'s chat-completions API: a
     * running server given by {@code --url}, or one started in-process on the model (the built-in one by default).
     */
    private int chat(PrintWriter out, PrintWriter err) throws IOException {
        if (problems < 1) {
            err.println("r1j eval: need --problems >= 1");
            return 2;
        }
        out.printf("%-10s %s%n", "split", "greedy accuracy through r1j serve [95% CI]");
        try (ServedEvaluation.Served served = url != null ? null : ServedEvaluation.serve(modelFile(), 64, 0,
                Runtime.getRuntime().availableProcessors())) {
            String base = url != null ? url.replaceAll("/+$", "") : served.baseUrl();
            List<String> splits = new java.util.ArrayList<>(HeldOut.TARGETS);
            splits.addAll(HeldOut.OTHERS);
            for (String split : splits) {
                Evaluator.Score score = ServedEvaluation.evaluate(base, HeldOut.split(split, problems), 512, 64);
                out.printf("%-10s %s%n", split, score);
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("r1j eval: interrupted");
            return 1;
        }
        return 0;
    }

    private Path modelFile() throws IOException {
        return model != null ? model : new ModelResolver(StoreConfig.fromSystem().store()).locateDefault();
    }

    /** The built-in tiny R1: the same file chat, generate and serve use without {@code -m}. */
    static Params builtIn() throws IOException {
        return GgufExport.read(new ModelResolver(StoreConfig.fromSystem().store()).locateDefault());
    }
}
