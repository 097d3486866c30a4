package r1j.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import r1j.tensor.GgmlType;
import r1j.tokenizer.Tokenizer;

/**
 * The benchmarks are not run here; these checks only make sure each one measures what it claims: the matrix
 * benchmark computes the product (against the scalar reference), the memory benchmark reads the whole array, the sampler benchmark returns vocabulary ids and
 * the tokenizer benchmark's text survives an encode/decode round trip.
 */
class BenchmarkSetupTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"F32, file", "F16, file", "BF16, file", "Q8_0, file", "Q4_0, file", "Q4_K, file", "Q6_K, file",
            "Q4_0, repacked", "Q4_K, repacked", "Q6_K, repacked"})
    void matmul_computesTheProductOfEveryType(String type, String layout) {
        MatmulBenchmark b = new MatmulBenchmark();
        b.type = type;
        b.shape = "64x512"; // whole row groups, so the 4- and 6-bit types can be repacked at 256 and 512 bits
        b.batch = 2;
        b.threads = 2;
        b.layout = layout;
        b.setUp();
        try {
            MatmulBenchmark.Traffic traffic = new MatmulBenchmark.Traffic();
            float[] out = b.matmul(traffic);
            float[] row = new float[512];
            for (int i = 0; i < 2; i++) {
                for (int r = 0; r < 64; r++) {
                    b.weights.dequantizeRowReference(r, row, 0);
                    double sumAbs = 0;
                    for (int c = 0; c < 512; c++) sumAbs += Math.abs(row[c] * b.x[i * 512 + c]);
                    // a repacked matrix rounds the activations to 8 bits: at most half a step of 1/127 each
                    double tolerance = layout.equals("file") ? 1e-3 : sumAbs / 254 + 1e-3;
                    assertThat((double) out[i * 64 + r]).as("row %d of batch %d", r, i)
                            .isCloseTo(b.weights.dotReference(r, b.x, i * 512), within(tolerance));
                }
            }
            assertThat(traffic.weightBytes).isEqualTo(64 * GgmlType.valueOf(type).bytesFor(512));
            assertThat(traffic.flops).isEqualTo(2L * 2 * 64 * 512);
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
