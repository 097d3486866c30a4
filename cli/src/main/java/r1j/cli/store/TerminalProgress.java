package r1j.cli.store;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;

/**
 * A {@link ProgressListener} drawing a progress bar with amount, percentage, speed and ETA on a terminal stream
 * (stderr, so stdout stays clean for pipes). Usable for downloads (bytes) and model loads (bytes or tensors):
 * <pre>{@code
 * try (var progress = TerminalProgress.bytes(System.err)) {
 *     progress.start("loading model", fileSize, 0);
 *     ... progress.update(bytesRead) ...
 * }
 * }</pre>
 * The bar is rendered from a background timer of the progressbar library, so {@link #update} is cheap enough to
 * call per buffer.
 */
public final class TerminalProgress implements ProgressListener, AutoCloseable {

    private static final int DEFAULT_WIDTH = 100;
    private static final long MB = 1_000_000;

    private final PrintStream out;
    private final String unit;
    private final long unitSize;
    private final int width;
    private ProgressBar bar;

    private TerminalProgress(PrintStream out, String unit, long unitSize, int width) {
        this.out = out;
        this.unit = unit;
        this.unitSize = unitSize;
        this.width = width;
    }

    /** @return a bar counting bytes, shown in decimal MB and MB/s like {@link ByteSizes} and {@code r1j list} */
    public static TerminalProgress bytes(PrintStream out) {
        return new TerminalProgress(out, " MB", MB, terminalWidth(System.getenv()));
    }

    /**
     * @param unit label after the numbers, e.g. {@code " tensors"}
     * @return a bar counting plain units one by one
     */
    public static TerminalProgress units(PrintStream out, String unit) {
        return new TerminalProgress(out, unit, 1, terminalWidth(System.getenv()));
    }

    /** Width of the bar line: {@code $COLUMNS} when the shell exports it, else a common default. */
    static int terminalWidth(Map<String, String> env) {
        try {
            int columns = Integer.parseInt(env.getOrDefault("COLUMNS", "").strip());
            return Math.clamp(columns, 40, 240);
        } catch (NumberFormatException e) {
            return DEFAULT_WIDTH;
        }
    }

    @Override
    public synchronized void start(String task, long total, long done) {
        finish();
        // An explicit width keeps the library from opening a JLine terminal of its own just to measure the screen.
        bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setUnit(unit, unitSize)
                .showSpeed()
                .setUpdateIntervalMillis(250)
                .startsFrom(Math.max(0, done), Duration.ZERO)
                .setConsumer(new ConsoleProgressBarConsumer(out, width))
                .build();
    }

    @Override
    public synchronized void update(long done) {
        if (bar != null) {
            bar.stepTo(done);
        }
    }

    @Override
    public synchronized void finish() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    @Override
    public void close() {
        finish();
    }
}
