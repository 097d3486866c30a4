/**
 * The local model store behind {@code r1j pull}, {@code r1j list}, {@code r1j rm} and every {@code -m MODEL} option.
 *
 * <p>Models live under {@code $R1J_HOME/models} (default {@code ~/.r1j/models}), one folder per model holding the
 * GGUF file and a small JSON manifest ({@link r1j.cli.store.ModelManifest}). {@link r1j.cli.store.ModelCatalog}
 * turns a user's name (an alias such as {@code deepseek-r1:7b}, or {@code owner/repo/file.gguf} on Hugging Face)
 * into a download source; {@link r1j.cli.store.ModelDownloader} fetches it resumably over HTTP with SHA-256
 * verification; {@link r1j.cli.store.ModelResolver} turns a {@code -m} argument into a file path.
 * {@link r1j.cli.store.TerminalProgress} draws progress bars for downloads and other long steps such as model loads.
 *
 * <p>May depend on the JDK ({@code java.net.http}), Jackson and the progressbar library; nothing from the engine.
 */
package r1j.cli.store;
