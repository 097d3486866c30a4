package r1j.cli.store;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TerminalProgressTest {

    @Test
    void bytes_drawsTaskPercentAndDecimalMegabytesUpToTheEnd() {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (PrintStream stream = new PrintStream(sink, true, StandardCharsets.UTF_8);
             TerminalProgress progress = TerminalProgress.bytes(stream)) {
            progress.start("deepseek-r1:1.5b", 3_000_000, 1_000_000);
            progress.update(2_000_000);
            progress.update(3_000_000);
        }

        String drawn = sink.toString(StandardCharsets.UTF_8);
        String last = drawn.substring(drawn.lastIndexOf('\r') + 1);
        assertThat(last).startsWith("deepseek-r1:1.5b 100%").contains("3/3 MB");
    }

    @Test
    void units_countsPlainUnits() {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (PrintStream stream = new PrintStream(sink, true, StandardCharsets.UTF_8);
             TerminalProgress progress = TerminalProgress.units(stream, " tensors")) {
            progress.start("loading", 291, 0);
            progress.update(291);
        }

        assertThat(sink.toString(StandardCharsets.UTF_8)).contains("291/291 tensors");
    }

    @Test
    void terminalWidth_followsColumnsWithinSaneBounds() {
        assertThat(TerminalProgress.terminalWidth(Map.of("COLUMNS", "132"))).isEqualTo(132);
        assertThat(TerminalProgress.terminalWidth(Map.of("COLUMNS", "10"))).isEqualTo(40);
        assertThat(TerminalProgress.terminalWidth(Map.of("COLUMNS", "wide"))).isEqualTo(100);
        assertThat(TerminalProgress.terminalWidth(Map.of())).isEqualTo(100);
    }
}
