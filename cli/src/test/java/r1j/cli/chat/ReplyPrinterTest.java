package r1j.cli.chat;

import org.junit.jupiter.api.Test;
import r1j.chat.ReasoningParser;
import r1j.engine.FinishReason;
import r1j.engine.Usage;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Replies come from the real {@link ReasoningParser} over scripted R1 output, as the engine streams it. */
class ReplyPrinterTest {

    private final StringWriter sink = new StringWriter();
    private final AtomicLong clock = new AtomicLong();
    private static final Usage USAGE = new Usage(20, 0, 11, 8, Duration.ofMillis(100), Duration.ofMillis(1100));

    /** Feeds the pieces through the parser into the printer, advancing the clock 0.5 s per piece. */
    private void play(ReplyPrinter printer, boolean promptOpensThought, List<String> pieces) {
        ReasoningParser parser = new ReasoningParser(promptOpensThought, printer);
        for (String piece : pieces) {
            clock.addAndGet(500_000_000L);
            parser.accept(piece);
        }
        parser.finish();
    }

    private ReplyPrinter printer(boolean ansi, boolean show) {
        return new ReplyPrinter(new PrintWriter(sink), ansi, show, clock::get);
    }

    @Test
    void shownThinking_plain_printsReasoningThenDurationThenAnswerThenStats() {
        ReplyPrinter printer = printer(false, true);
        play(printer, true, List.of("Two plus", " two is four.", "\n</th", "ink>\n\n", "It is **4**."));
        printer.finish(USAGE, FinishReason.STOP);

        assertThat(sink.toString()).isEqualTo("""
                Thinking...
                Two plus two is four.
                ...done thinking (thought for 2.0 s)

                It is **4**.
                [11 tokens (8 thinking), 10.0 tokens/s]
                """);
    }

    @Test
    void hiddenThinking_ansi_replacesThinkingLineWithDuration() {
        ReplyPrinter printer = printer(true, false);
        play(printer, true, List.of("secret plan", "</think>", "\n\nAnswer."));
        printer.finish(USAGE, FinishReason.STOP);

        String out = sink.toString();
        assertThat(out).doesNotContain("secret plan");
        assertThat(out).startsWith("\u001B[2mThinking...\u001B[0m\r\u001B[K\u001B[2mthought for 1.0 s\u001B[0m\n\nAnswer.\n");
        assertThat(out).endsWith("\u001B[2m[11 tokens (8 thinking), 10.0 tokens/s]\n\u001B[0m");
    }

    @Test
    void modelThatNeverThinks_printsOnlyTheAnswer() {
        ReplyPrinter printer = printer(false, true);
        play(printer, false, List.of("Hello", " there."));
        printer.finish(new Usage(5, 0, 2, 0, Duration.ZERO, Duration.ofSeconds(1)), FinishReason.STOP);

        assertThat(sink.toString()).isEqualTo("Hello there.\n[2 tokens, 1.0 tokens/s]\n");
    }

    @Test
    void stoppedInsideTheThought_closesTheBlockAndSaysStopped() {
        ReplyPrinter printer = printer(false, true);
        play(printer, true, List.of("Let me think", " about"));
        printer.finish(USAGE, FinishReason.CANCELLED);

        assertThat(sink.toString()).isEqualTo("""
                Thinking...
                Let me think about
                ...done thinking (thought for 0.5 s)
                [11 tokens (8 thinking), 10.0 tokens/s, stopped]
                """);
    }

    @Test
    void seconds_readableAtEveryScale() {
        assertThat(ReplyPrinter.seconds(3_240_000_000L)).isEqualTo("3.2 s");
        assertThat(ReplyPrinter.seconds(42_400_000_000L)).isEqualTo("42 s");
        assertThat(ReplyPrinter.seconds(125_000_000_000L)).isEqualTo("2 min 5 s");
    }
}
