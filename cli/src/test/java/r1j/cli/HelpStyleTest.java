package r1j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The help of every command in one style: option and parameter texts start in lower case (a proper name or an
 * acronym aside) without a closing full stop, and an option with a default value says what it is (or names the
 * value, as "only: tiny-r1" does).
 */
class HelpStyleTest {

    /** Commands whose help another change owns for now, with what is left to do. */
    private static final Map<String, String> NOT_YET = Map.of(
            "bench", "its options are written as sentences with '(default N)'; to be brought in line with the rest");

    /** Words an option text may start with in capitals. */
    private static final Set<String> PROPER = Set.of("GGUF", "TCP", "Hugging", "JSON", "SHA-256", "KV");

    @Test
    void everyOptionText_isLowerCaseWithoutFullStop_andStatesItsDefault() {
        List<String> problems = new ArrayList<>();
        for (var entry : Main.commandLine().getSubcommands().entrySet()) {
            if (NOT_YET.containsKey(entry.getKey()) || entry.getKey().equals("help")) {
                continue;
            }
            for (ArgSpec arg : entry.getValue().getCommandSpec().args()) {
                if (arg instanceof OptionSpec o && o.usageHelp() || arg instanceof OptionSpec v && v.versionHelp()) {
                    continue;
                }
                String name = entry.getKey() + " " + (arg instanceof OptionSpec o ? o.longestName() : arg.paramLabel());
                String text = String.join(" ", arg.description()).strip();
                String first = text.split("[\\s,(:]", 2)[0];
                if (text.isEmpty()) {
                    problems.add(name + ": no description");
                    continue;
                }
                if (Character.isUpperCase(text.charAt(0)) && !PROPER.contains(first)) {
                    problems.add(name + ": starts in upper case: " + text);
                }
                if (text.endsWith(".")) {
                    problems.add(name + ": ends with a full stop: " + text);
                }
                boolean flag = arg.type() == boolean.class || arg.type() == Boolean.class;
                if (arg instanceof OptionSpec && arg.defaultValue() != null && !flag && !text.contains("default")
                        && !text.contains(arg.defaultValue())) {
                    problems.add(name + ": has default " + arg.defaultValue() + " but does not say so: " + text);
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void defaults_areShownWithTheirValues() {
        CommandLine serve = Main.commandLine().getSubcommands().get("serve");
        String usage = serve.getUsageMessage();
        assertThat(usage).contains("(default: 127.0.0.1;", "(default: 8080;").doesNotContain("${DEFAULT-VALUE}");
    }
}
