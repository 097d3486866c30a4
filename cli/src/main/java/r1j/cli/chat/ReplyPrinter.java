package r1j.cli.chat;

import r1j.chat.ReasoningEvent;
import r1j.engine.FinishReason;
import r1j.engine.Usage;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Draws one streamed reply: the reasoning dimmed under "Thinking...", then "thought for N s", then the answer, then
 * a dimmed line with token counts and speed. With thinking hidden only "Thinking..." shows until the answer starts,
 * and is then replaced by "thought for N s". Without ANSI styling (output not a terminal, or {@code NO_COLOR}) the
 * same text comes plain and nothing is overwritten.
 *
 * <p>Feed it the {@link ReasoningEvent}s of one reply in order, from one thread, then call {@link #finish}.
 */
public final class ReplyPrinter implements Consumer<ReasoningEvent> {

    private static final String DIM = "\u001B[2m";
    private static final String RESET = "\u001B[0m";
    private static final String CLEAR_LINE = "\r\u001B[K";

    private final PrintWriter out;
    private final boolean ansi;
    private final boolean showThinking;
    private final LongSupplier nanoTime;

    private long thinkingStartedNanos = -1;
    private boolean answering;
    private boolean endsWithNewline = true;
    private boolean wroteAnything;

    /**
     * @param out          where to draw
     * @param ansi         use ANSI styling (dim) and line rewriting
     * @param showThinking print the reasoning text, not only its duration
     * @param nanoTime     monotonic clock in nanoseconds ({@code System::nanoTime}; tests pass a fake)
     */
    public ReplyPrinter(PrintWriter out, boolean ansi, boolean showThinking, LongSupplier nanoTime) {
        this.out = out;
        this.ansi = ansi;
        this.showThinking = showThinking;
        this.nanoTime = nanoTime;
    }

    @Override
    public void accept(ReasoningEvent event) {
        switch (event) {
            case ReasoningEvent.Reasoning r -> reasoning(r.text());
            case ReasoningEvent.Answer a -> answer(a.text());
        }
        out.flush();
    }

    private void reasoning(String text) {
        if (thinkingStartedNanos < 0) {
            thinkingStartedNanos = nanoTime.getAsLong();
            write(dim(showThinking ? "Thinking...\n" : "Thinking..."));
        }
        if (showThinking) {
            write(dim(text));
        }
    }

    private void answer(String text) {
        if (!answering) {
            answering = true;
            if (thinkingStartedNanos >= 0) {
                closeThought(true);
            }
        }
        write(text);
    }

    /** Ends the thinking block: "...done thinking" under shown reasoning, or replaces the "Thinking..." line. */
    private void closeThought(boolean answerFollows) {
        String took = "thought for " + seconds(nanoTime.getAsLong() - thinkingStartedNanos);
        if (showThinking) {
            write(dim((endsWithNewline ? "" : "\n") + "...done thinking (" + took + ")\n" + (answerFollows ? "\n" : "")));
        } else if (ansi) {
            write(CLEAR_LINE + dim(took) + "\n" + (answerFollows ? "\n" : ""));
        } else {
            write(" " + took + "\n" + (answerFollows ? "\n" : ""));
        }
    }

    /**
     * Ends the reply with a dimmed statistics line: tokens, thinking tokens, speed, and why it stopped when that was
     * not the model's own end.
     *
     * @param usage  the reply's token counts and timings
     * @param reason why generation ended
     */
    public void finish(Usage usage, FinishReason reason) {
        if (!answering && thinkingStartedNanos >= 0) {
            closeThought(false);
        }
        if (!endsWithNewline && wroteAnything) {
            write("\n");
        }
        StringBuilder stats = new StringBuilder("[").append(usage.completionTokens()).append(" tokens");
        if (usage.reasoningTokens() > 0) {
            stats.append(" (").append(usage.reasoningTokens()).append(" thinking)");
        }
        stats.append(String.format(Locale.ROOT, ", %.1f tokens/s", usage.decodeTokensPerSecond()));
        switch (reason) {
            case LENGTH -> stats.append(", stopped at the token limit");
            case CANCELLED -> stats.append(", stopped");
            case ERROR -> stats.append(", failed");
            case STOP -> { }
        }
        write(dim(stats.append("]\n").toString()));
        out.flush();
    }

    /** @return e.g. {@code "3.2 s"} under ten seconds, {@code "42 s"}, {@code "2 min 5 s"} */
    static String seconds(long nanos) {
        double s = nanos / 1e9;
        if (s < 10) {
            return String.format(Locale.ROOT, "%.1f s", s);
        }
        long whole = Math.round(s);
        return whole < 60 ? whole + " s" : (whole / 60) + " min " + (whole % 60) + " s";
    }

    private String dim(String text) {
        return ansi && !text.isEmpty() ? DIM + text + RESET : text;
    }

    private void write(String text) {
        if (text.isEmpty()) {
            return;
        }
        out.print(text);
        wroteAnything = true;
        String plain = text.endsWith(RESET) ? text.substring(0, text.length() - RESET.length()) : text;
        endsWithNewline = plain.endsWith("\n");
    }
}
