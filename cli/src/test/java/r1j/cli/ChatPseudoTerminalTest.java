package r1j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import r1j.model.GoldenModels;
import r1j.tokenizer.Tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code r1j chat} as a user runs it: a separate JVM whose terminal is a real pseudo-terminal, made by util-linux
 * {@code script}. Keys go in through the pty (Enter is CR, as a keyboard sends it), the screen comes back with its
 * escape sequences. The model is the golden qwen2-tiny, so the greedy reply is llama.cpp's greedy continuation.
 */
@Timeout(600)
class ChatPseudoTerminalTest {

    private static final String VARIANT = "qwen2-tiny";
    private static final String TYPE = "Q8_0";
    private static final int STEPS = 8;

    @TempDir
    Path home;

    @Test
    void chat_underARealPty_streamsLlamaCppsGreedyReasoningAndLeavesOnBye() throws Exception {
        JsonNode manifest = GoldenModels.manifest(VARIANT);
        int[] expectedIds = Arrays.copyOf(GoldenModels.ints(
                manifest.path("types").path(TYPE).path("dequantized_f32_math").path("greedy_ids"), "greedy_ids"), STEPS);
        Path model = GoldenModels.model(VARIANT, TYPE);
        String expected = Tokenizer.load(model, null).decode(expectedIds);

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = String.join(" ", java, "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "chat", "-m", model.toString(), "--greedy", "-n", String.valueOf(STEPS), "-c", "512");
        ProcessBuilder pb = new ProcessBuilder("script", "-q", "-e", "-c", command, "/dev/null").redirectErrorStream(true);
        pb.environment().put("R1J_HOME", home.toString());
        pb.environment().put("TERM", "xterm-256color");
        Process p = pb.start();
        Screen screen = new Screen(p.getInputStream());
        try (OutputStream keys = p.getOutputStream()) {
            screen.waitFor("Ctrl-D leaves", 300);
            type(keys, "What is 12+7? Answer briefly.\r");
            screen.waitFor("tokens/s", 200);
            type(keys, "/bye\r");
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("chat exits after /bye; screen:%n%s", screen.text()).isTrue();
        } finally {
            p.destroyForcibly();
        }
        String shown = screen.text();
        assertThat(p.exitValue()).as(shown).isZero();
        assertThat(shown).contains("r1j chat: " + TYPE + ".gguf (qwen2, context 512 tokens");
        assertThat(shown).contains("Thinking...").contains(expected).contains("...done thinking (thought for ");
        assertThat(shown).contains("[" + STEPS + " tokens (" + STEPS + " thinking), ");
        assertThat(screen.raw()).as("reasoning is dimmed (SGR 2)").contains("\u001B[2m");
    }

    private static void type(OutputStream keys, String text) throws IOException {
        keys.write(text.getBytes(StandardCharsets.UTF_8));
        keys.flush();
    }

    /** Everything the pty printed, read on a platform thread as it arrives. */
    private static final class Screen {
        private final StringBuilder raw = new StringBuilder();

        Screen(InputStream in) {
            Thread.ofPlatform().daemon().start(() -> {
                byte[] buf = new byte[4096];
                try {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        synchronized (raw) {
                            raw.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                        }
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            });
        }

        String raw() {
            synchronized (raw) {
                return raw.toString();
            }
        }

        /** The screen without ANSI sequences, CR LF as LF. */
        String text() {
            return raw().replaceAll("\u001B\\[[0-9;?$]*[A-Za-z]", "").replaceAll("\u001B[=>]", "").replace("\r\n", "\n");
        }

        void waitFor(String what, int seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (!text().contains(what)) {
                assertThat(System.nanoTime()).as("waiting for '%s'; screen so far:%n%s", what, text()).isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }
}
