package r1j.tensor;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import r1j.gguf.GgufFile;
import r1j.gguf.GgufTensorInfo;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Q8_0 and Q4_0 quantizers reproduce llama.cpp's bytes. Values that llama-quantize put on a block's grid are
 * a fixed point of ggml's reference rounding (the block's largest magnitude sits on level ±127, or -8 for Q4_0,
 * so the recomputed scale is the stored F16 scale), so quantizing the dequantized tensors of the golden files must
 * give the file's bytes exactly: same scale bits, same levels, same nibble order.
 */
class QuantizerGoldenTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"qwen2-tiny, Q8_0", "llama-tiny, Q8_0", "qwen2-tiny, Q4_0", "llama-tiny, Q4_0"})
    void quantize_reproducesLlamaCppBytes(String variant, String typeName) throws Exception {
        GgmlType type = GgmlType.valueOf(typeName);
        try (GgufFile file = GgufFile.open(GoldenTensorLayoutTest.golden(variant + "/" + typeName + ".gguf"))) {
            int checked = 0;
            for (GgufTensorInfo t : file.tensors()) {
                if (t.type() != type) continue;
                MemorySegment data = file.data(t);
                WeightMatrix w = WeightMatrix.of(type, data, t.rows(), t.cols());
                float[] values = new float[t.rows() * t.cols()];
                for (int r = 0; r < t.rows(); r++) w.dequantizeRowReference(r, values, r * t.cols());
                byte[] ours = Quantizer.quantize(type, values, t.rows(), t.cols());
                byte[] theirs = data.toArray(ValueLayout.JAVA_BYTE);
                assertThat(ours).as("%s %s bytes", t.name(), type).isEqualTo(theirs);
                checked++;
            }
            assertThat(checked).as("%s tensors in %s/%s", type, variant, typeName).isGreaterThanOrEqualTo(14);
        }
    }
}
