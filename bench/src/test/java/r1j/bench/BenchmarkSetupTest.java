package r1j.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import r1j.tokenizer.Tokenizer;

/**
 * The benchmarks are not run here; these checks only make sure each one measures what it claims: the matrix
 * benchmark computes the product (against the scalar reference), the memory benchmark reads the whole array, the sampler benchmark returns vocabulary ids and
 * the tokenizer benchmark's text survives an encode/decode round trip.
 */
class BenchmarkSetupTest {

    @ParameterizedTest
    @ValueSource(strings = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_K", "Q6_K"})
    void matmul_computesTheProductOfEveryType(String type) {
        MatmulBenchmark b = new MatmulBenchmark();
        b.type = type;
        b.shape = "8x512";
        b.batch = 2;
        b.threads = 2;
        b.setUp();
        try {
            MatmulBenchmark.Traffic traffic = new MatmulBenchmark.Traffic();
            float[] out = b.matmul(traffic);
            for (int i = 0; i < 2; i++) {
                for (int r = 0; r < 8; r++) {
                    assertThat(out[i * 8 + r]).as("row %d of batch %d", r, i)
                            .isCloseTo(b.weights.dotReference(r, b.x, i * 512), within(1e-3f));
                }
            }
            assertThat(traffic.weightBytes).isEqualTo(b.weights.data().byteSize());
            assertThat(traffic.flops).isEqualTo(2L * 2 * 8 * 512);
        } finally {
            b.tearDown();
        }
    }

    @Test
    void read_sumsTheSquaresOfTheWholeArrayOverThePool() {
        MemoryReadBenchmark b = new MemoryReadBenchmark();
        b.megabytes = 1;
        b.threads = 2;
        b.setUp();
        try {
            double expected = 0;
            for (float v : b.data) expected += (double) v * v;
            MemoryReadBenchmark.Traffic traffic = new MemoryReadBenchmark.Traffic();
            assertThat((double) b.read(traffic)).isCloseTo(expected, within(expected * 1e-4));
            assertThat(traffic.bytes).isEqualTo(1L << 20);
        } finally {
            b.tearDown();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"greedy", "r1", "penalties"})
    void sample_returnsAVocabularyId(String settings) {
        SamplerBenchmark b = new SamplerBenchmark();
        b.settings = settings;
        b.vocab = 1000;
        b.setUp();
        for (int i = 0; i < 10; i++) assertThat(b.sample()).isBetween(0, 999);
    }

    @Test
    void encode_roundTripsTheBenchmarkText() throws Exception {
        Tokenizer tokenizer = TokenizerBenchmark.qwen2Tokenizer();
        int[] ids = tokenizer.encode(TokenizerBenchmark.TEXT, false, true);
        assertThat(ids.length).isBetween(300, 1000);
        assertThat(tokenizer.decode(ids)).isEqualTo(TokenizerBenchmark.TEXT);
    }

    @Test
    void trainStep_computesTheSameUntrainedLossEveryCall() {
        TrainStepBenchmark b = new TrainStepBenchmark();
        b.threads = 2;
        b.setUp();
        try {
            float first = b.forwardBackward();
            // an untrained model is near uniform over the 411-token vocabulary: loss ~ ln 411 = 6.02
            assertThat(first).isBetween(5f, 7f);
            assertThat(b.forwardBackward()).as("gradients are cleared, weights unchanged").isEqualTo(first);
        } finally {
            b.tearDown();
        }
    }
}
