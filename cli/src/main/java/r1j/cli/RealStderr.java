package r1j.cli;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Puts the terminal's stderr back on file descriptor 2 when {@code ./r1j} asks for it.
 *
 * <p>Why: a JVM that resolves an incubator module prints {@code WARNING: Using incubator modules:
 * jdk.incubator.vector} to stderr before {@code main}, unconditionally (JDK 25's {@code ModuleBootstrap} has no
 * switch for it), and r1j needs {@code jdk.incubator.vector}. The launcher therefore starts the JVM with stderr
 * through a filter that drops that one line, hands the real stderr over as another descriptor
 * ({@code -Dr1j.stderr.fd=3}), and the first thing {@code main} does is {@code dup2(3, 2)}: from then on everything
 * the program writes to stderr goes straight to the terminal, unbuffered and in order with stdout, and the filter,
 * seeing end-of-file, exits. Started any other way (no property), nothing changes.
 */
final class RealStderr {

    /** The system property naming the descriptor that holds the real stderr. */
    static final String PROPERTY = "r1j.stderr.fd";

    private RealStderr() {
    }

    /** Makes descriptor 2 the real stderr again when {@link #PROPERTY} names one; a failure leaves stderr as it was. */
    static void restore() {
        String fd = System.getProperty(PROPERTY);
        if (fd == null) {
            return;
        }
        try {
            int from = Integer.parseInt(fd.strip());
            System.err.flush();
            Linker libc = Linker.nativeLinker();
            MethodHandle dup2 = libc.downcallHandle(libc.defaultLookup().find("dup2").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            MethodHandle close = libc.downcallHandle(libc.defaultLookup().find("close").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            if ((int) dup2.invokeExact(from, 2) == 2) {
                int ignored = (int) close.invokeExact(from); // child processes need not inherit it
            }
        } catch (Throwable e) {
            // Still writable through the launcher's filter; only the order with stdout is not guaranteed then.
            System.err.println("r1j: cannot restore stderr from descriptor " + fd + " (" + e + "); stderr stays filtered");
        }
    }
}
