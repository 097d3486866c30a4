package r1j.eval;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar on the terminal's error stream: samples done, share right so far, generated tokens per
 * second and the time left at the current pace. Redrawn at most every {@link #REDRAW_NANOS}, and once at the end.
 */
public final class Progress {
    static final long REDRAW_NANOS = 250_000_000L;

    private final PrintStream out;
    private final LongSupplier clock;
    private final int total;
    private final long start;
    private int done;
    private int right;
    private long tokens;
    private long lastDraw;

    /**
     * @param out   where to draw (stderr), or {@code null} for no bar
     * @param total samples this run will generate
     * @param clock nanoseconds
     */
    public Progress(PrintStream out, int total, LongSupplier clock) {
        this.out = out;
        this.total = total;
        this.clock = clock;
        this.start = clock.getAsLong();
        this.lastDraw = start - REDRAW_NANOS; // the first sample draws at once
    }

    /** Records one finished sample and redraws when due. */
    public synchronized void sampleDone(int sampleTokens, boolean correct) {
        done++;
        tokens += sampleTokens;
        right += correct ? 1 : 0;
        long now = clock.getAsLong();
        if (now - lastDraw >= REDRAW_NANOS || done == total) {
            lastDraw = now;
            draw(now);
        }
    }

    /** The line as drawn now. */
    synchronized String line(long now) {
        double seconds = Math.max(1e-9, (now - start) / 1e9);
        int width = 30, filled = total == 0 ? width : (int) ((long) width * done / total);
        String eta = done == 0 ? "?" : duration((long) (seconds / done * (total - done)));
        return "\r[%s%s] %d/%d samples, %.0f%% right, %.0f tok/s, ETA %s ".formatted("#".repeat(filled),
                ".".repeat(width - filled), done, total, done == 0 ? 0.0 : 100.0 * right / done, tokens / seconds, eta);
    }

    /** Ends the bar's line. */
    public synchronized void finish() {
        if (out != null) {
            if (done < total) {
                draw(clock.getAsLong()); // the last sample already drew the full bar
            }
            out.println();
            out.flush();
        }
    }

    private void draw(long now) {
        if (out != null) {
            out.print(line(now));
            out.flush();
        }
    }

    static String duration(long s) {
        return s >= 3600 ? "%dh%02dm".formatted(s / 3600, s % 3600 / 60) : s >= 60 ? "%dm%02ds".formatted(s / 60, s % 60) : s + "s";
    }
}
