package r1j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.jline.terminal.Size;
import org.jline.terminal.impl.ExternalTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import r1j.cli.store.ModelCatalog;
import r1j.cli.store.StoreConfig;
import r1j.model.GoldenModels;
import r1j.tokenizer.Tokenizer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code r1j chat} end to end: picocli, the engine on a golden model, and JLine's own terminal over piped streams
 * standing in for the user's terminal (keys in, screen out, Ctrl-C as the ^C byte).
 */
@Timeout(300) // a hang detector only: generous, as a loaded 2-core machine can be slow
class ChatCommandTest {

    private static final String VARIANT = "qwen2-tiny";
    private static final String TYPE = "Q8_0";
    private static final int STEPS = 8;

    @TempDir
    Path home;

    private final PipedOutputStream keys = new PipedOutputStream();
    private final PipedInputStream keyboard = connect(keys);
    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private final StringWriter err = new StringWriter();

    private ExternalTerminal terminal() throws IOException {
        ExternalTerminal t = new ExternalTerminal("test", "xterm-256color", keyboard, screen,
                StandardCharsets.UTF_8);
        t.setSize(Size.of(160, 50));
        return t;
    }

    private static PipedInputStream connect(PipedOutputStream keys) {
        try {
            return new PipedInputStream(keys, 1 << 16);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Starts {@code r1j chat ARGS} on its own thread, as the launcher would; returns the exit code holder. */
    private Thread start(AtomicInteger rc, String... args) {
        ChatCommand chat = new ChatCommand(new StoreConfig(home, ModelCatalog.DEFAULT_ENDPOINT), this::terminal);
        CommandLine cl = new CommandLine(chat);
        cl.setErr(new PrintWriter(err, true));
        return Thread.ofPlatform().start(() -> rc.set(cl.execute(args)));
    }

    private void type(String text) throws IOException {
        keys.write(text.getBytes(StandardCharsets.UTF_8));
        keys.flush();
    }

    /** The screen without ANSI styling, with the terminal's CR LF line ends as plain LF. */
    private String text() {
        return screen.toString(StandardCharsets.UTF_8).replaceAll("\u001B\\[[0-9;?]*[A-Za-z]", "")
                .replace("\r\n", "\n");
    }

    private void waitFor(String what) throws InterruptedException {
        while (!text().contains(what)) {
            Thread.sleep(20);
        }
    }

    @Test
    void chat_greedyReplyOnGoldenModel_isLlamaCppsGreedyContinuation_shownAsReasoning() throws Exception {
        JsonNode manifest = GoldenModels.manifest(VARIANT);
        String question = "What is 12+7? Answer briefly.";
        // The golden prompt is this question in the file's R1 template, ending in "<think>\n": the reply starts
        // inside the thought. llama.cpp's greedy ids for it are the reasoning text the chat must show.
        assertThat(manifest.path("greedy").path("prompt_text").asText()).contains(question).endsWith("<think>\n");
        int[] expectedIds = Arrays.copyOf(GoldenModels.ints(
                manifest.path("types").path(TYPE).path("dequantized_f32_math").path("greedy_ids"), "greedy_ids"), STEPS);
        Path model = GoldenModels.model(VARIANT, TYPE);
        String expected = Tokenizer.load(model, null).decode(expectedIds);
        AtomicInteger rc = new AtomicInteger(-1);

        Thread chat = start(rc, "-m", model.toString(), "--greedy", "-n", String.valueOf(STEPS), "-c", "512");
        type(question + "\n");
        waitFor("tokens/s");
        type("/bye\n");
        chat.join(30_000);

        assertThat(rc.get()).as(err.toString()).isZero();
        String shown = text();
        assertThat(shown).contains("r1j chat: " + TYPE + ".gguf (qwen2, context 512 tokens");
        assertThat(shown).contains("Thinking...\n" + expected + "\n...done thinking (thought for ");
        assertThat(shown).contains("[" + STEPS + " tokens (" + STEPS + " thinking), ")
                .contains("stopped at the token limit]");
        assertThat(Files.readString(home.resolve("chat_history"))).contains(question);
    }

    @Test
    void ctrlC_stopsTheAnswerAndTheChatGoesOn() throws Exception {
        AtomicInteger rc = new AtomicInteger(-1);
        Path saved = home.resolve("after.json");

        Thread chat = start(rc, "-m", GoldenModels.model(VARIANT, TYPE).toString(), "--greedy", "-c", "4096",
                "--ignore-eos");
        type("hello\n");
        waitFor("Thinking...");
        type("\u0003");
        waitFor("stopped]");
        type("/save " + saved + "\n/bye\n");
        chat.join(30_000);

        assertThat(rc.get()).as(err.toString()).isZero();
        assertThat(text()).contains("stopped]")
                .as("a question stopped before any answer leaves no trace").contains("saved 0 messages");
    }

    @Test
    void conversationOutgrowingTheContext_saysHowToGoOn() throws Exception {
        AtomicInteger rc = new AtomicInteger(-1);

        Thread chat = start(rc, "-m", GoldenModels.model(VARIANT, TYPE).toString(), "--greedy", "-c", "24");
        type("this message is far too long for a context of only twenty four tokens, surely\n");
        waitFor("no longer fits the context");
        type("/bye\n");
        chat.join(30_000);

        assertThat(rc.get()).as(err.toString()).isZero();
        assertThat(text()).contains("/reset starts afresh");
    }
}
