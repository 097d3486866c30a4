/**
 * JMH benchmarks of r1j's hot paths: the matrix kernel of each weight type ({@link r1j.bench.MatmulBenchmark}), the
 * memory read bandwidth that bounds decoding ({@link r1j.bench.MemoryReadBenchmark}),
 * tokenizer encoding ({@link r1j.bench.TokenizerBenchmark}) and the sampler chain ({@link r1j.bench.SamplerBenchmark}).
 * They are not tests: build the runnable jar and run it (each class's javadoc gives its command):
 * <pre>
 *   ./mvnw -q -pl bench -am package -DskipTests
 *   java -jar bench/target/benchmarks.jar MatmulBenchmark -p type=Q8_0
 * </pre>
 * Depends on {@code core} only (and core's test jar for the tokenizer vocabulary).
 */
package r1j.bench;
