package r1j.cli.chat;

import org.jline.terminal.Terminal;
import org.jline.terminal.Size;
import org.jline.terminal.impl.ExternalTerminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import r1j.chat.ChatMessage;
import r1j.chat.ReasoningEvent;
import r1j.chat.ReasoningParser;
import r1j.engine.FinishReason;
import r1j.engine.Usage;
import r1j.sample.SamplerSettings;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chat loop on JLine's own terminal over piped streams (keys in, screen out). Replies come from a runner that
 * plays a scripted R1 output through the real {@link ReasoningParser}; the loop is what is under test here (the
 * end-to-end chat on a golden model is in {@code ChatCommandTest}).
 */
@Timeout(120) // a hang detector only: generous, as a loaded 2-core machine can be slow
class ChatReplTest {

    @TempDir
    Path dir;

    private final PipedOutputStream keys = new PipedOutputStream();
    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private Terminal terminal;

    private Terminal terminal() throws IOException {
        // JLine's line discipline in Java (not an OS pty), so Ctrl-C typed as ^C raises INT inside this JVM.
        terminal = new ExternalTerminal("test", "xterm-256color", new PipedInputStream(keys, 1 << 16), screen,
                StandardCharsets.UTF_8);
        terminal.setSize(Size.of(120, 40));
        return terminal;
    }

    @AfterEach
    void closeTerminal() throws IOException {
        if (terminal != null) {
            terminal.close();
        }
    }

    /** Plays one scripted model output per call and records what it was asked. */
    private static final class ScriptedRunner implements ChatRepl.TurnRunner {
        final List<List<ChatMessage>> asked = new ArrayList<>();
        final List<Integer> budgets = new ArrayList<>();
        final List<ChatSettings> settings = new ArrayList<>();
        final String output;
        volatile boolean blockUntilCancelled;
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch cancelled = new CountDownLatch(1);

        ScriptedRunner(String output) {
            this.output = output;
        }

        @Override
        public ChatRepl.Reply run(List<ChatMessage> messages, ChatSettings turn, Consumer<ReasoningEvent> events) {
            asked.add(messages);
            budgets.add(turn.effectiveBudget());
            settings.add(turn);
            ReasoningParser parser = new ReasoningParser(true, events);
            started.countDown();
            if (blockUntilCancelled) {
                parser.accept("I wonder");
                try {
                    assertThat(cancelled.await(60, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                parser.finish();
                return new ChatRepl.Reply(parser.reasoning(), parser.answer(), usage(2), FinishReason.CANCELLED);
            }
            for (String piece : output.split("(?<=\\s)")) {
                parser.accept(piece);
            }
            parser.finish();
            return new ChatRepl.Reply(parser.reasoning(), parser.answer(), usage(output.split("\\s+").length),
                    FinishReason.STOP);
        }

        @Override
        public void cancel() {
            cancelled.countDown();
        }

        private static Usage usage(int tokens) {
            return new Usage(10, 0, tokens, 0, Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    /** The chat's defaults: thinking on with no budget, R1's sampling, no reply limit. */
    private static ChatSettings settings(boolean showThinking) {
        return new ChatSettings(true, showThinking, -1, SamplerSettings.r1Defaults(), -1);
    }

    private void type(String text) throws IOException {
        keys.write(text.getBytes(StandardCharsets.UTF_8));
        keys.flush();
    }

    private String screenText() {
        return screen.toString(StandardCharsets.UTF_8);
    }

    @Test
    void chat_streamsReplies_keepsHistoryWithoutReasoning_andHandlesCommands() throws IOException {
        ScriptedRunner runner = new ScriptedRunner("Sum it.\n</think>\n\nIt is 4.");
        ChatRepl repl = new ChatRepl(terminal(), runner, null, settings(true), false, System::nanoTime);
        Path saved = dir.resolve("chat.json");
        type("what is 2+2?\n/budget 64\nand 3+3?\n/think off\nok\n/save " + saved + "\n/bye\n");

        repl.run("r1j chat");

        assertThat(runner.budgets).containsExactly(-1, 64, 0);
        assertThat(runner.asked.get(1)).containsExactly(ChatMessage.user("what is 2+2?"),
                ChatMessage.assistant("It is 4.", "Sum it."), ChatMessage.user("and 3+3?"));
        assertThat(screenText()).contains("Thinking...", "Sum it.", "...done thinking (thought for", "It is 4.",
                "tokens/s]", "thinking budget: 64 tokens", "thinking off", "saved 6 messages to " + saved);
        assertThat(Conversation.load(saved)).hasSize(6);
    }

    @Test
    void chat_loadReplacesHistory_resetClearsIt() throws IOException {
        Conversation earlier = new Conversation();
        earlier.add(ChatMessage.user("remember 7"));
        earlier.add(ChatMessage.assistant("ok"));
        Path file = dir.resolve("earlier.json");
        earlier.save(file);
        ScriptedRunner runner = new ScriptedRunner("x</think>y");
        ChatRepl repl = new ChatRepl(terminal(), runner, null, settings(false), false, System::nanoTime);
        type("/load " + file + "\nwhat number?\n/reset\nhi\n/nonsense\n");
        keys.close();

        repl.run("r1j chat");

        assertThat(runner.asked.get(0)).containsExactly(ChatMessage.user("remember 7"), ChatMessage.assistant("ok"),
                ChatMessage.user("what number?"));
        assertThat(runner.asked.get(1)).containsExactly(ChatMessage.user("hi"));
        assertThat(screenText()).contains("loaded 2 messages", "conversation cleared",
                "unknown command /nonsense; /help lists the commands").doesNotContain("\nx");
    }

    @Test
    void ctrlC_stopsTheAnswer_notTheChat() throws Exception {
        ScriptedRunner runner = new ScriptedRunner("unused");
        runner.blockUntilCancelled = true;
        ChatRepl repl = new ChatRepl(terminal(), runner, null, settings(true), false, System::nanoTime);
        Thread loop = Thread.ofPlatform().start(() -> repl.run("r1j chat"));
        type("think forever\n");
        assertThat(runner.started.await(60, TimeUnit.SECONDS)).isTrue();

        type("\u0003");
        assertThat(runner.cancelled.await(60, TimeUnit.SECONDS)).as("Ctrl-C reached the runner").isTrue();
        type("/bye\n");
        loop.join(60_000);

        assertThat(loop.isAlive()).isFalse();
        assertThat(screenText()).contains("I wonder", "stopped]");
        assertThat(repl.conversation().isEmpty()).as("a question stopped before any answer is dropped").isTrue();
    }

    @Test
    void backslashAtLineEnd_continuesTheMessage() throws IOException {
        ScriptedRunner runner = new ScriptedRunner("a</think>b");
        ChatRepl repl = new ChatRepl(terminal(), runner, null, settings(true), false, System::nanoTime);
        type("first line\\\nsecond line\n/bye\n");

        repl.run("r1j chat");

        assertThat(runner.asked.getFirst().getLast()).isEqualTo(ChatMessage.user("first line\nsecond line"));
    }

    @Test
    void setAndSystem_changeTheNextTurns_showListsThem_andSaveKeepsTheSystemPrompt() throws IOException {
        ScriptedRunner runner = new ScriptedRunner("Add.\n</think>\n\n19");
        ChatRepl repl = new ChatRepl(terminal(), runner, null, settings(true), false, System::nanoTime);
        Path saved = dir.resolve("with-system.json");
        type("What is 12+7?\n/set temperature 0\n/set top_k 40\n/set seed 7\n/set max_tokens 256\n"
                + "/system You are a calculator.\nAnd 5+1234?\n/set top_p 2\n/set colour blue\n/show\n"
                + "/reset\nagain\n/save " + saved + "\n/system\nlast\n/bye\n");

        repl.run("r1j chat");

        assertThat(runner.settings.get(0)).isEqualTo(settings(true));
        ChatSettings changed = runner.settings.get(1);
        assertThat(changed.sampling()).isEqualTo(SamplerSettings.r1Defaults().withTemperature(0).withTopK(40).withSeed(7));
        assertThat(changed.maxTokens()).isEqualTo(256);
        assertThat(runner.asked.get(1)).containsExactly(ChatMessage.system("You are a calculator."),
                ChatMessage.user("What is 12+7?"), ChatMessage.assistant("19", "Add."), ChatMessage.user("And 5+1234?"));
        assertThat(runner.asked.get(2)).as("/reset keeps the system prompt")
                .containsExactly(ChatMessage.system("You are a calculator."), ChatMessage.user("again"));
        assertThat(runner.asked.get(3)).as("/system alone removes it").containsExactly(ChatMessage.user("again"),
                ChatMessage.assistant("19", "Add."), ChatMessage.user("last"));
        assertThat(runner.settings.get(3)).as("a rejected /set changes nothing").isEqualTo(changed);
        assertThat(screenText()).contains("temperature     0 (greedy)", "top_k           40", "seed            7",
                "max_tokens      256", "system prompt set", "cannot set top_p: top_p 2.0 is out of range [0, 1]",
                "no setting 'colour'; /set takes temperature, top_p, top_k, min_p, repeat_penalty, seed, max_tokens",
                "system          You are a calculator.", "system prompt removed");
        assertThat(Conversation.load(saved)).first().isEqualTo(ChatMessage.system("You are a calculator."));
    }
}
