/**
 * The {@code r1j} command line: picocli commands wired in {@link r1j.cli.Main} (the only place that calls
 * {@link java.lang.System#exit}), the JLine chat ({@code r1j.cli.chat}), the model store ({@code r1j.cli.store}) and
 * the speed benchmark ({@code r1j.cli.bench}). Commands validate flags at the edge and print one-line errors; the
 * work itself is done by {@code core}, {@code train} and {@code server}, which this module may all use.
 */
package r1j.cli;
