package r1j.tensor;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import r1j.gguf.GgufFile;
import r1j.gguf.GgufTensorInfo;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Block layouts proven on files llama.cpp wrote (test resources {@code golden/<variant>/<TYPE>.gguf}, see their
 * README). Two facts from the golden README are checked for every weight matrix of every shipped type:
 * <ul>
 *   <li>weights were drawn from N(0, 0.05) (token_embd N(0, 0.1)), so the dequantized tensor has mean ≈ 0 and a
 *       standard deviation within 10% of that;</li>
 *   <li>every type was quantized from the same F32 source as the F16 file, so the dequantized tensor stays within
 *       the type's quantization error ({@link QuantizerTest#MAX_RMSE}, relative to the weights' scale) of the F16
 *       tensor. A wrong nibble order, scale packing or bit plane gives an error of the order of the weights
 *       themselves (relative RMSE ≈ 1.4) and fails this by far.</li>
 * </ul>
 * The fast dot of every matrix is also compared with its scalar reference on real data.
 */
class GoldenTensorLayoutTest {

    static Path golden(String relative) {
        URL url = GoldenTensorLayoutTest.class.getResource("/golden/" + relative);
        assertThat(url).as("test resource golden/%s", relative).isNotNull();
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Arguments> files() {
        return Stream.of("qwen2-tiny", "llama-tiny").flatMap(v ->
                Stream.of("F16", "Q8_0", "Q4_0", "Q4_K_M", "Q6_K").map(t -> Arguments.of(v, t)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("files")
    void dequantizedWeights_haveTheGeneratorsDistribution_andMatchTheF16File(String variant, String fileType) throws Exception {
        try (GgufFile file = GgufFile.open(golden(variant + "/" + fileType + ".gguf"));
             GgufFile f16 = GgufFile.open(golden(variant + "/F16.gguf"))) {
            int checked = 0;
            for (GgufTensorInfo t : file.tensors()) {
                if (t.nDims() < 2) continue; // norms and biases stay F32 with other distributions
                WeightMatrix w = WeightMatrix.of(t.type(), file.data(t), t.rows(), t.cols());
                GgufTensorInfo ref = f16.tensor(t.name());
                WeightMatrix wf16 = WeightMatrix.of(ref.type(), f16.data(ref), ref.rows(), ref.cols());
                double expectedStd = t.name().equals("token_embd.weight") ? 0.1 : 0.05;
                checkTensor(t, w, wf16, expectedStd);
                checked++;
            }
            assertThat(checked).as("weight matrices in %s/%s", variant, fileType).isGreaterThanOrEqualTo(15);
        }
    }

    private static void checkTensor(GgufTensorInfo t, WeightMatrix w, WeightMatrix wf16, double expectedStd) {
        int rows = w.rows(), cols = w.cols();
        float[] row = new float[cols], rowF16 = new float[cols];
        float[] x = RandomBlocks.gaussian(cols, cols);
        double sum = 0, sumSq = 0, diffSq = 0;
        for (int r = 0; r < rows; r++) {
            w.dequantizeRow(r, row, 0);
            wf16.dequantizeRow(r, rowF16, 0);
            double sumAbs = 0;
            for (int c = 0; c < cols; c++) {
                sum += row[c];
                sumSq += (double) row[c] * row[c];
                diffSq += (double) (row[c] - rowF16[c]) * (row[c] - rowF16[c]);
                sumAbs += Math.abs(row[c] * x[c]);
            }
            if (r % 7 == 0) {
                assertThat((double) w.dot(r, x, 0)).as("%s row %d dot", t.name(), r)
                        .isCloseTo(w.dotReference(r, x, 0), org.assertj.core.data.Offset.offset(RandomBlocks.sumTolerance(cols, sumAbs)));
            }
        }
        double n = (double) rows * cols;
        double mean = sum / n;
        double std = Math.sqrt(sumSq / n - mean * mean);
        String what = "%s (%s, %dx%d)".formatted(t.name(), t.type(), rows, cols);
        assertThat(Math.abs(mean)).as("%s mean", what).isLessThan(0.1 * expectedStd);
        assertThat(std).as("%s std", what).isBetween(0.9 * expectedStd, 1.1 * expectedStd);
        double relRmse = Math.sqrt(diffSq / n) / expectedStd;
        assertThat(relRmse).as("%s RMSE against the F16 file, relative to the weights' std", what)
                .isLessThanOrEqualTo(QuantizerTest.MAX_RMSE.get(t.type()) + 0.001);
    }
}
