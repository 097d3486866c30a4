package r1j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code r1j} command: wires the subcommands; the only place that calls {@link System#exit}. */
@Command(name = "r1j", mixinStandardHelpOptions = true, version = "r1j 0.1.0",
        description = "DeepSeek-R1-style reasoning models on the JVM.",
        subcommands = {
                CommandLine.HelpCommand.class,
                PullCommand.class, ListCommand.class, RmCommand.class, CreateCommand.class, ChatCommand.class,
                InspectCommand.class,
                LogitsCommand.class, GenerateCommand.class,
                TokenizeCommand.class,
                TrainCommand.class,
                EvalCommand.class,
                GradeCommand.class,
                ServeCommand.class,
                SynthCommand.class,
                BenchCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(new r1j.cli.store.StoreErrorHandler());
    }

    public static void main(String[] args) {
        RealStderr.restore();
        System.exit(commandLine().execute(args));
    }
}
