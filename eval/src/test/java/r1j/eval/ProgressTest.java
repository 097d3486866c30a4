package r1j.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The progress line on an injected clock: share done, share right, tokens per second, time left at this pace. */
class ProgressTest {

    @Test
    void line_showsRateAndEta_fromTheInjectedClock() {
        AtomicLong now = new AtomicLong(0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), 4, now::get);
        now.set(10_000_000_000L); // 10 s: one sample of 500 tokens, right
        p.sampleDone(500, true);
        assertThat(p.line(now.get())).contains("1/4 samples", "100% right", "50 tok/s", "ETA 30s").contains("[#######.");
        now.set(20_000_000_000L);
        p.sampleDone(1500, false);
        assertThat(p.line(now.get())).contains("2/4 samples", "50% right", "100 tok/s", "ETA 20s");
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("1/4 samples", "2/4 samples");
        assertThat(Progress.duration(3725)).isEqualTo("1h02m");
        assertThat(Progress.duration(125)).isEqualTo("2m05s");
    }
}
