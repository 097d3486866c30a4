package r1j.cli.chat;

import java.nio.file.Path;
import java.util.Locale;

/**
 * A line starting with {@code /} in {@code r1j chat}: a command to the chat itself rather than a message.
 */
public sealed interface SlashCommand {

    /** What {@code /help} prints. */
    String HELP = """
            /reset              forget the conversation
            /think on|off       let the model think before answering, or answer directly
            /think show|hide    show the reasoning (dimmed) or only how long it took
            /budget N|off       at most N reasoning tokens, then answer (off: no limit)
            /system TEXT        the system prompt for the whole chat (/system alone removes it)
            /set KEY VALUE      temperature, top_p, top_k, min_p, repeat_penalty, seed (N|random),
                                max_tokens (N|off); e.g. /set temperature 0 for greedy answers
            /show               the current settings and system prompt
            /save FILE          save the conversation as JSON
            /load FILE          load a conversation saved with /save
            /help               this list
            /bye                leave (also Ctrl-D)
            Ctrl-C stops an answer; a line ending in \\ continues on the next line.""";

    /** {@code /reset}. */
    record Reset() implements SlashCommand {
    }

    /** {@code /think on|off}: whether the model thinks at all. */
    record Think(boolean on) implements SlashCommand {
    }

    /** {@code /think show|hide}: whether the reasoning is printed. */
    record ShowThinking(boolean show) implements SlashCommand {
    }

    /** {@code /budget N|off}; {@code tokens} is -1 for no limit. */
    record Budget(int tokens) implements SlashCommand {
    }

    /** {@code /system TEXT}; {@code text} is null for a bare {@code /system}, which removes the system prompt. */
    record SystemPrompt(String text) implements SlashCommand {
    }

    /** {@code /set KEY VALUE}: one sampling or length setting (see {@link ChatSettings#with}). */
    record Set(String key, String value) implements SlashCommand {
    }

    /** {@code /show}: the settings. */
    record Show() implements SlashCommand {
    }

    /** {@code /save FILE}. */
    record Save(Path file) implements SlashCommand {
    }

    /** {@code /load FILE}. */
    record Load(Path file) implements SlashCommand {
    }

    /** {@code /help} or {@code /?}. */
    record Help() implements SlashCommand {
    }

    /** {@code /bye}, {@code /exit} or {@code /quit}. */
    record Exit() implements SlashCommand {
    }

    /** @return true when the line is meant as a command */
    static boolean isCommand(String line) {
        return line.strip().startsWith("/");
    }

    /**
     * Parses a command line.
     *
     * @throws IllegalArgumentException saying what is wrong and what is accepted
     */
    static SlashCommand parse(String line) {
        String[] words = line.strip().split("\\s+", 2);
        String name = words[0].toLowerCase(Locale.ROOT);
        String arg = words.length > 1 ? words[1].strip() : "";
        return switch (name) {
            case "/reset", "/clear" -> new Reset();
            case "/think" -> switch (arg.toLowerCase(Locale.ROOT)) {
                case "on" -> new Think(true);
                case "off" -> new Think(false);
                case "show" -> new ShowThinking(true);
                case "hide" -> new ShowThinking(false);
                default -> throw new IllegalArgumentException("use /think on, /think off, /think show or /think hide");
            };
            case "/budget" -> new Budget(budget(arg));
            case "/system" -> new SystemPrompt(arg.isEmpty() ? null : arg);
            case "/set" -> set(arg);
            case "/show" -> new Show();
            case "/save" -> new Save(file(arg, "/save"));
            case "/load" -> new Load(file(arg, "/load"));
            case "/help", "/?" -> new Help();
            case "/bye", "/exit", "/quit" -> new Exit();
            default -> throw new IllegalArgumentException("unknown command " + words[0] + "; /help lists the commands");
        };
    }

    private static int budget(String arg) {
        if (arg.equalsIgnoreCase("off") || arg.equals("-1")) {
            return -1;
        }
        try {
            int n = Integer.parseInt(arg);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // Falls through to the message below.
        }
        throw new IllegalArgumentException("use /budget N with N >= 0 reasoning tokens (0: no thinking), or /budget off");
    }

    private static SlashCommand set(String arg) {
        String[] kv = arg.split("\\s+", 2);
        if (kv.length < 2 || kv[0].isEmpty()) {
            throw new IllegalArgumentException("use /set KEY VALUE with KEY one of " + String.join(", ", ChatSettings.KEYS)
                    + " (or /set system TEXT)");
        }
        // Ollama's spelling of the system prompt command.
        return kv[0].equalsIgnoreCase("system") ? new SystemPrompt(kv[1].strip()) : new Set(kv[0], kv[1].strip());
    }

    private static Path file(String arg, String command) {
        if (arg.isEmpty()) {
            throw new IllegalArgumentException("use " + command + " FILE");
        }
        String path = arg.startsWith("~/") ? System.getProperty("user.home") + arg.substring(1) : arg;
        return Path.of(path);
    }
}
