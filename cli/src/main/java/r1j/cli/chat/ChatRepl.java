package r1j.cli.chat;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import r1j.chat.ChatMessage;
import r1j.chat.ReasoningEvent;
import r1j.engine.FinishReason;
import r1j.engine.PromptTooLongException;
import r1j.engine.Usage;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The read-answer loop of {@code r1j chat} on a JLine terminal: line editing and a history file, slash commands,
 * streaming replies through a {@link ReplyPrinter}, and Ctrl-C that stops the current answer (not the program).
 * Generation itself is behind {@link TurnRunner}, so the loop does not care how the engine is driven.
 */
public final class ChatRepl {

    /** Produces one assistant reply; called from the loop's thread. */
    public interface TurnRunner {

        /**
         * Generates the reply to {@code messages}, streaming its pieces to {@code events}; blocks until it ends.
         *
         * @param messages the conversation (its system prompt first, if any), ending with the user's new message
         * @param settings the reasoning budget ({@link ChatSettings#effectiveBudget()}), sampling and reply length
         * @param events   receives reasoning and answer pieces in order
         * @return the whole reply
         */
        Reply run(List<ChatMessage> messages, ChatSettings settings, Consumer<ReasoningEvent> events);

        /** Stops the running reply soon; called from the terminal's signal thread on Ctrl-C. */
        void cancel();
    }

    /**
     * One finished (or stopped) reply.
     *
     * @param reasoning the thought, "" when none
     * @param answer    the answer, "" when none came
     * @param usage     token counts and timings
     * @param reason    why it ended
     */
    public record Reply(String reasoning, String answer, Usage usage, FinishReason reason) {
        public Reply {
            Objects.requireNonNull(reasoning, "reasoning");
            Objects.requireNonNull(answer, "answer");
            Objects.requireNonNull(usage, "usage");
            Objects.requireNonNull(reason, "reason");
        }
    }

    private static final String PROMPT = ">>> ";
    private static final String CONTINUATION = "... ";

    private final Terminal terminal;
    private final TurnRunner runner;
    private final Path historyFile;
    private final boolean ansi;
    private final LongSupplier nanoTime;
    private final Conversation conversation = new Conversation();
    private ChatSettings settings;

    /**
     * @param terminal    the terminal to read and draw on
     * @param runner      generates replies
     * @param historyFile where typed lines are remembered across sessions, or {@code null} for none
     * @param initial     settings at the start; the slash commands change them during the chat
     * @param ansi        style with ANSI escapes
     * @param nanoTime    monotonic clock for "thought for N s"
     */
    public ChatRepl(Terminal terminal, TurnRunner runner, Path historyFile, ChatSettings initial, boolean ansi,
                    LongSupplier nanoTime) {
        this.terminal = terminal;
        this.runner = runner;
        this.historyFile = historyFile;
        this.settings = Objects.requireNonNull(initial, "initial");
        this.ansi = ansi;
        this.nanoTime = nanoTime;
    }

    /** @return the conversation so far (e.g. to preload one with {@link Conversation#replaceWith}) */
    public Conversation conversation() {
        return conversation;
    }

    /** Runs until {@code /bye} or Ctrl-D. */
    public void run(String banner) {
        // Messages are prose, not shell lines: no "!" history expansion, no quote or backslash processing.
        LineReaderBuilder builder = LineReaderBuilder.builder().terminal(terminal).appName("r1j")
                .parser(new DefaultParser().escapeChars(new char[0]).quoteChars(new char[0]))
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true);
        if (historyFile != null) {
            builder.variable(LineReader.HISTORY_FILE, historyFile);
        }
        LineReader reader = builder.build();
        PrintWriter out = terminal.writer();
        out.println(banner);
        out.flush();
        while (true) {
            String line;
            try {
                line = readMessage(reader);
            } catch (UserInterruptException e) {
                out.println("(Ctrl-D or /bye leaves)");
                out.flush();
                continue;
            } catch (EndOfFileException e) {
                break;
            }
            if (line.isBlank()) {
                continue;
            }
            if (SlashCommand.isCommand(line)) {
                if (!command(line, out)) {
                    break;
                }
                continue;
            }
            converse(line, out);
        }
        out.flush();
    }

    /** Reads one message; a line ending in a backslash continues on the next. */
    private static String readMessage(LineReader reader) {
        StringBuilder message = new StringBuilder();
        String prompt = PROMPT;
        while (true) {
            String line = reader.readLine(prompt);
            if (!line.endsWith("\\")) {
                return message.append(line).toString();
            }
            message.append(line, 0, line.length() - 1).append('\n');
            prompt = CONTINUATION;
        }
    }

    private void converse(String text, PrintWriter out) {
        conversation.add(ChatMessage.user(text));
        ReplyPrinter printer = new ReplyPrinter(out, ansi, settings.showThinking(), nanoTime);
        Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, signal -> runner.cancel());
        Reply reply;
        try {
            reply = runner.run(conversation.messages(), settings, printer);
        } catch (PromptTooLongException e) {
            conversation.removeLast();
            out.println("the conversation no longer fits the context (" + e.getMessage()
                    + "); /reset starts afresh, or /save it and restart the chat with a larger --ctx-size");
            out.flush();
            return;
        } catch (RuntimeException e) {
            conversation.removeLast();
            out.println();
            out.println("error: " + e.getMessage());
            out.flush();
            return;
        } finally {
            terminal.handle(Terminal.Signal.INT, previous);
        }
        printer.finish(reply.usage(), reply.reason());
        if (reply.answer().isEmpty() && reply.reason() == FinishReason.CANCELLED) {
            // Stopped before any answer: forget the question too, so the next one starts clean.
            conversation.removeLast();
        } else {
            conversation.add(ChatMessage.assistant(reply.answer(), reply.reasoning().isEmpty() ? null : reply.reasoning()));
        }
    }

    /** @return false when the chat should end */
    private boolean command(String line, PrintWriter out) {
        try {
            switch (SlashCommand.parse(line)) {
                case SlashCommand.Reset r -> {
                    conversation.clear();
                    out.println("conversation cleared");
                }
                case SlashCommand.Think t -> {
                    settings = settings.withThink(t.on());
                    out.println(t.on() ? "thinking on" : "thinking off: answers come without reasoning");
                }
                case SlashCommand.ShowThinking s -> {
                    settings = settings.withShowThinking(s.show());
                    out.println(s.show() ? "reasoning shown" : "reasoning hidden");
                }
                case SlashCommand.Budget b -> {
                    settings = settings.withBudget(b.tokens());
                    out.println(b.tokens() < 0 ? "thinking budget: unlimited" : "thinking budget: " + b.tokens() + " tokens");
                }
                case SlashCommand.SystemPrompt p -> {
                    conversation.setSystem(p.text());
                    out.println(p.text() == null ? "system prompt removed" : "system prompt set");
                }
                case SlashCommand.Set set -> {
                    settings = settings.with(set.key(), set.value());
                    out.println(settings.describe().lines()
                            .filter(l -> l.startsWith(set.key().toLowerCase(java.util.Locale.ROOT).replace('-', '_') + " "))
                            .findFirst().orElse("set"));
                }
                case SlashCommand.Show show -> {
                    out.println(settings.describe());
                    out.println("system          " + (conversation.system() == null ? "(none)" : conversation.system()));
                }
                case SlashCommand.Save s -> {
                    conversation.save(s.file());
                    out.println("saved " + conversation.messages().size() + " messages to " + s.file());
                }
                case SlashCommand.Load l -> {
                    conversation.replaceWith(Conversation.load(l.file()));
                    out.println("loaded " + conversation.messages().size() + " messages from " + l.file());
                }
                case SlashCommand.Help h -> out.println(SlashCommand.HELP);
                case SlashCommand.Exit e -> {
                    return false;
                }
            }
        } catch (IllegalArgumentException e) {
            out.println(e.getMessage());
        } catch (IOException e) {
            out.println("cannot do that: " + e.getMessage());
        }
        out.flush();
        return true;
    }
}
