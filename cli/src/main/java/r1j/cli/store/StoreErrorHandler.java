package r1j.cli.store;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns a {@link ModelStoreException} escaping any command (typically {@link ModelResolver#resolve} behind a
 * {@code -m} option) into one line on stderr, {@code r1j <command>: <message>}, and exit status 1, instead of a
 * stack trace. Every other exception is left to picocli's default handling.
 */
public final class StoreErrorHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult)
            throws Exception {
        if (!(ex instanceof ModelStoreException)) {
            throw ex;
        }
        commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
        commandLine.getErr().flush();
        return 1;
    }
}
