/**
 * The measurement behind {@code r1j bench}: llama-bench-style prompt-processing and text-generation speed tests on
 * a loaded model ({@link r1j.cli.bench.SpeedTest}), the weight traffic of one decode step
 * ({@link r1j.cli.bench.WeightTraffic}) and the markdown table they are reported in
 * ({@link r1j.cli.bench.BenchTable}).
 *
 * <p>May depend on {@code r1j.model}, {@code r1j.gguf} and {@code r1j.tensor} (the compute pool); nothing else of
 * the CLI.
 */
package r1j.cli.bench;
