package r1j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import r1j.train.autograd.ThreadRows;
import r1j.train.recipe.Progress;
import r1j.train.recipe.TinyR1Recipe;

/** {@code r1j train --recipe tiny-r1}: the tiny R1 recipe (SFT, GRPO, distillation) from scratch on the CPU. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the tiny R1 model: cold-start SFT, GRPO, distillation; resumable, seeded.")
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--recipe", defaultValue = "tiny-r1", description = "recipe to run (only: tiny-r1)")
    String recipe;

    @Option(names = "--stage", defaultValue = "all", description = "sft, grpo, distill or all (default: ${DEFAULT-VALUE})")
    String stage;

    @Option(names = "--seed", defaultValue = "1", description = "seed of every random choice (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", defaultValue = "tiny-r1-out",
            description = "output folder: models, checkpoints, results.md, grpo.html (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--threads", description = "worker threads (default: available processors)")
    Integer threads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (!recipe.equals("tiny-r1")) {
            err.println("r1j train: unknown recipe '%s'; the only recipe is tiny-r1".formatted(recipe));
            return 2;
        }
        if (!java.util.List.of("sft", "grpo", "distill", "all").contains(stage)) {
            err.println("r1j train: unknown stage '%s'; use sft, grpo, distill or all".formatted(stage));
            return 2;
        }
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1) {
            err.println("r1j train: --threads must be at least 1");
            return 2;
        }
        PrintWriter out = spec.commandLine().getOut();
        long start = System.nanoTime();
        try (ThreadRows rows = new ThreadRows(n)) {
            new TinyR1Recipe(TinyR1Recipe.Settings.tinyR1(seed), this.out, rows, new Bar(out, start)).run(stage);
        }
        out.printf("done in %.1f min; results in %s%n", (System.nanoTime() - start) / 60e9, this.out.resolve("results.md"));
        out.flush();
        return 0;
    }

    /** A one-line progress bar per stage, redrawn in place; info lines are printed above it. */
    static final class Bar implements Progress {
        private static final int WIDTH = 30;
        private final PrintWriter out;
        private final long start;
        private final boolean tty = System.console() != null;
        private boolean open;

        Bar(PrintWriter out, long start) {
            this.out = out;
            this.start = start;
        }

        @Override
        public void step(String stage, int step, int total, String metrics) {
            int filled = (int) ((long) WIDTH * step / Math.max(1, total));
            String line = "%-8s [%s%s] %d/%d %s  %s".formatted(stage, "#".repeat(filled), ".".repeat(WIDTH - filled), step, total,
                    metrics, elapsed());
            if (tty) {
                out.print("\r" + line + "\u001b[K");
                open = step < total;
                if (!open) {
                    out.println();
                }
            } else if (step == total || step % Math.max(1, total / 20) == 0) {
                out.println(line);
            }
            out.flush();
        }

        @Override
        public void info(String line) {
            if (open) {
                out.println();
                open = false;
            }
            out.println(line + "  " + elapsed());
            out.flush();
        }

        private String elapsed() {
            long s = (System.nanoTime() - start) / 1_000_000_000L;
            return "%d:%02d".formatted(s / 60, s % 60);
        }
    }
}
