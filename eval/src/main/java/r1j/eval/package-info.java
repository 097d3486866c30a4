/**
 * Benchmark evaluation the DeepSeek-R1 paper's way: datasets ({@link r1j.eval.Benchmarks}: AIME 2024/2025,
 * MATH-500, GSM8K, the tiny-R1 tasks, custom JSONL), the R1 prompt, sampling on a {@link r1j.eval.Backend} (the
 * in-process engine or any OpenAI-compatible endpoint), resumable sample logs, pass@1 / cons@k / pass@k with
 * bootstrap intervals ({@link r1j.eval.Metrics}), and Markdown, JSON and HTML reports.
 *
 * <p>May depend on {@code r1j.engine}, {@code r1j.chat}, {@code r1j.sample}, {@link r1j.eval.grade}, Jackson and
 * the JDK's HTTP client. Not on the server, the trainer or the CLI.
 */
package r1j.eval;
