package r1j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import r1j.cli.store.BuiltInModel;

/**
 * Every {@code r1j} command line in README.md (in fenced and indented code blocks) parses with the real command
 * line, and the cheap ones run as written through {@code ./r1j} on the built-in model: the model a README line names
 * ({@code -m deepseek-r1:1.5b}, {@code model.gguf}, ...) becomes the built-in tiny-r1, and {@code generate} gets
 * {@code -n 256} when it has no {@code -n}. The others are skipped by name, each for a stated reason, so a new README
 * command is either run here or consciously listed.
 */
@Timeout(900) // a hang detector only: a dozen JVMs with the built-in model on a loaded 2-core machine
class ReadmeCommandsTest {

    /** Subcommands that are not run, and why (they are still parsed). */
    private static final Map<String, String> SKIPPED = Map.of(
            "pull", "downloads from the network",
            "chat", "interactive (ChatCommandTest and ChatPseudoTerminalTest drive it)",
            "serve", "runs until stopped (ServeCommandTest starts it)",
            "train", "the recipe takes about 20 minutes (TrainEvalCommandTest runs it small)",
            "eval", "minutes of generation (TrainEvalCommandTest runs it small)",
            "synth", "writes gigabytes (SynthCommandTest writes a one-block model)",
            "bench", "needs a synthesized model of gigabytes (BenchCommandTest runs it small)",
            "rm", "needs a pulled model (StoreCommandsTest runs pull, list, rm against a loopback hub)",
            "create", "needs a downloaded GGUF (StoreCommandsTest runs it on a golden model)",
            "grade", "needs a file of answer pairs (EvalCommandTest runs it)");

    /**
     * Subcommands the launcher runs outside the main jar, so the jar's command line does not parse them: {@code batch}
     * is the Spark job of the {@code spark} module (its own tests run it, BatchJobTest).
     */
    private static final Map<String, String> LAUNCHER_ONLY = Map.of("batch", "the spark module's job (./r1j runs it with Spark's class path)");

    /** README lines that only show an option's shape (placeholders, alternatives): parsed no further. */
    private static final Pattern SYNOPSIS = Pattern.compile("\\[-|\\bNAME\\b|FILE\\.gguf|…");

    /** The model a README line names, in any of the forms README uses. */
    private static final Pattern MODEL_ARGUMENT = Pattern.compile(
            "(-m )(deepseek-r1:[0-9.]+b|model\\.gguf|\\./hf-tokenizer-dir)|~/\\.r1j/models/…/model\\.gguf|(?<=inspect (--stats )?)model\\.gguf");

    @TempDir
    Path home;

    @TempDir
    Path work;

    @Test
    void readmeCommands_parse_andTheCheapOnesRunOnTheBuiltInModel() throws Exception {
        List<String> lines = commandLines(Files.readString(repositoryRoot().resolve("README.md")));
        assertThat(lines).as("r1j command lines in README.md").hasSizeGreaterThan(10);
        Path builtIn = BuiltInModel.file(home);
        Files.createSymbolicLink(work.resolve("r1j"), repositoryRoot().resolve("r1j"));
        List<String> ran = new ArrayList<>();
        for (String line : lines) {
            String runnable = onBuiltInModel(line, builtIn);
            String command = r1jPart(runnable);
            List<String> words = shellWords(command);
            List<String> args = words.subList(1, words.size());
            String sub = args.isEmpty() ? "" : args.getFirst();
            boolean synopsis = SYNOPSIS.matcher(command).find();
            if (LAUNCHER_ONLY.containsKey(sub)) {
                continue;
            }
            if (!synopsis) {
                parses(line, args);
            }
            if (SKIPPED.containsKey(sub) || synopsis || line.contains("hf-tokenizer-dir")) {
                continue;
            }
            if (sub.equals("generate") && !runnable.matches(".*\\s(-n|--max-tokens)\\s.*")) {
                runnable = runnable + " -n 256"; // enough for the built-in model to reach its answer
            }
            int o = args.indexOf("-o");
            run(line, runnable, o >= 0 ? work.resolve(args.get(o + 1)) : null);
            ran.add(sub);
        }
        assertThat(ran).as("README commands run").contains("generate", "inspect", "tokenize", "list", "logits");
    }

    /** The command lines of README's code blocks: those starting with r1j or ./r1j, or piping into r1j. */
    static List<String> commandLines(String markdown) {
        List<String> out = new ArrayList<>();
        boolean fenced = false;
        StringBuilder continued = null;
        for (String raw : markdown.split("\n")) {
            if (raw.startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            boolean code = fenced || raw.startsWith("    ");
            if (!code) {
                continue;
            }
            String line = stripComment(raw.strip());
            if (continued != null) {
                continued.append(' ').append(line.replaceAll("\\\\$", "").strip());
                if (!line.endsWith("\\")) {
                    out.add(continued.toString());
                    continued = null;
                }
                continue;
            }
            if (!line.matches("(\\./)?r1j( .*)?") && !line.matches(".*\\| *(\\./)?r1j .*")) {
                continue;
            }
            if (line.endsWith("\\")) {
                continued = new StringBuilder(line.substring(0, line.length() - 1).strip());
            } else {
                out.add(line);
            }
        }
        return out;
    }

    private static void parses(String line, List<String> args) {
        try {
            CommandLine.ParseResult result = Main.commandLine().parseArgs(args.toArray(String[]::new));
            assertThat(result).isNotNull();
        } catch (CommandLine.ParameterException e) {
            fail("README line does not parse: " + line + "\n  " + e.getMessage());
        }
    }

    private static String onBuiltInModel(String line, Path builtIn) {
        Matcher m = MODEL_ARGUMENT.matcher(line);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String replacement = m.group(1) != null ? "-m tiny-r1" : "'" + builtIn + "'";
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Runs {@code script}; it must exit 0 and print something, or write {@code output} when it names one. */
    private void run(String line, String script, Path output) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-o", "pipefail", "-c", script).directory(work.toFile());
        pb.environment().put("PATH", work + ":" + System.getenv("PATH"));
        pb.environment().put("R1J_CLASSPATH", System.getProperty("java.class.path"));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("R1J_HOME", home.toString());
        Path err = work.resolve("stderr.txt");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as(line).isTrue();
        assertThat(p.exitValue()).as("README line %s%n  ran as: %s%n  stdout: %s%n  stderr: %s", line, script, out,
                Files.readString(err)).isZero();
        if (output != null) {
            assertThat(Files.size(output)).as("bytes written by " + line).isPositive();
        } else {
            assertThat(out).as("stdout of " + line).isNotBlank();
        }
    }

    private static String r1jPart(String line) {
        int pipe = line.lastIndexOf("| ");
        return pipe >= 0 && !line.startsWith("r1j") && !line.startsWith("./r1j") ? line.substring(pipe + 2).strip() : line;
    }

    private static String stripComment(String line) {
        // A # after whitespace outside quotes starts a comment.
        boolean single = false;
        boolean dbl = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'' && !dbl) {
                single = !single;
            } else if (c == '"' && !single) {
                dbl = !dbl;
            } else if (c == '#' && !single && !dbl && i > 0 && Character.isWhitespace(line.charAt(i - 1))) {
                return line.substring(0, i).strip();
            }
        }
        return line;
    }

    /** Splits a command as a POSIX shell would for the simple quoting README uses. */
    static List<String> shellWords(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (char c : command.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                word = word == null ? new StringBuilder() : word;
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }

    private static Path repositoryRoot() {
        Path root = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
        assertThat(root.resolve("README.md")).as("README.md at the repository root").isRegularFile();
        return root;
    }
}
