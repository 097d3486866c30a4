package r1j.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import r1j.tensor.GgmlType;
import r1j.tensor.UnsupportedTensorTypeException;
import r1j.tensor.WeightMatrix;

/** {@link GgufFile#matrix} wires a tensor's type, shape and mapped bytes into a {@link WeightMatrix}. */
class GgufMatrixTest {
    @TempDir
    Path dir;

    @Test
    void matrix_goldenTensors_haveGgmlShapeTypeAndMappedData() throws IOException {
        try (GgufFile gguf = GgufFile.open(GgufGoldenModelTest.golden("qwen2-tiny/Q4_K_M.gguf"))) {
            for (GgufTensorInfo t : gguf.tensors()) {
                WeightMatrix m = gguf.matrix(t.name());
                assertThat(m.type()).isEqualTo(t.type());
                assertThat(m.cols()).isEqualTo(t.dims()[0]);
                assertThat((long) m.rows() * m.cols()).isEqualTo(t.elements());
                assertThat(m.data().address()).isEqualTo(gguf.data(t).address());
                assertThat(m.data().byteSize()).isEqualTo(t.byteSize());
            }
            assertThat(gguf.matrix("blk.1.ffn_down.weight").type()).isEqualTo(GgmlType.Q6_K);
        }
    }

    @Test
    void floats_f32NormWeights_equalTheStoredLittleEndianFloats() throws IOException {
        try (GgufFile gguf = GgufFile.open(GgufGoldenModelTest.golden("llama-tiny/Q8_0.gguf"))) {
            GgufTensorInfo norm = gguf.tensor("output_norm.weight");
            assertThat(norm.type()).isEqualTo(GgmlType.F32);
            float[] stored = gguf.data(norm).toArray(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN));
            assertThat(gguf.floats("output_norm.weight")).isEqualTo(stored).hasSize(256);
        }
    }

    @Test
    void matrix_unsupportedType_namesTensorAndType() throws IOException {
        Path file = dir.resolve("iq.gguf");
        new GgufWriter().addTensor("blk.0.ffn_up.weight", GgmlType.IQ2_XXS, new long[]{256, 2}, new byte[132]).write(file);
        try (GgufFile gguf = GgufFile.open(file)) {
            assertThatThrownBy(() -> gguf.matrix("blk.0.ffn_up.weight"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("tensor 'blk.0.ffn_up.weight' in %s has type IQ2_XXS, which r1j cannot compute with".formatted(file))
                    .hasCauseInstanceOf(UnsupportedTensorTypeException.class);
        }
    }

    @Test
    void matrix_absentTensor_namesIt() throws IOException {
        try (GgufFile gguf = GgufFile.open(GgufGoldenModelTest.golden("llama-tiny/F16.gguf"))) {
            assertThatThrownBy(() -> gguf.matrix("blk.9.attn_q.weight"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("tensor 'blk.9.attn_q.weight' is not in");
        }
    }
}
