package r1j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import r1j.tensor.GgmlType;

class TypeMixTest {

    @Test
    void q4KM_givesTheTensorCountsOfLlamaQuantizeOnR1Qwen15B() {
        // BASELINE.md: llama-quantize's r1-qwen-1.5b Q4_K_M has 169 Q4_K and 29 Q6_K tensors (28 layers x 7
        // matrices, an untied embedding and an output head).
        TypeMix mix = TypeMix.of("q4_k_m");
        int layers = 28;
        long q6 = IntStream.range(0, layers).filter(i -> mix.moreBits(i, layers) == GgmlType.Q6_K).count() * 2
                + (mix.output() == GgmlType.Q6_K ? 1 : 0) + (mix.embedding() == GgmlType.Q6_K ? 1 : 0);
        assertThat(q6).isEqualTo(29);
        assertThat(layers * 7 + 2 - q6).isEqualTo(169);
        assertThat(mix.layer()).isEqualTo(GgmlType.Q4_K);
    }

    @Test
    void q4_0_putsOnlyTheOutputHeadInQ6K() {
        TypeMix mix = TypeMix.of("Q4_0");
        assertThat(mix.output()).isEqualTo(GgmlType.Q6_K);
        assertThat(mix.embedding()).isEqualTo(GgmlType.Q4_0);
        assertThat(IntStream.range(0, 28).mapToObj(i -> mix.moreBits(i, 28))).containsOnly(GgmlType.Q4_0);
    }

    @Test
    void plainType_isUsedForEveryMatrix() {
        TypeMix mix = TypeMix.of("Q8_0");
        assertThat(mix.output()).isEqualTo(GgmlType.Q8_0);
        assertThat(mix.embedding()).isEqualTo(GgmlType.Q8_0);
        assertThat(mix.moreBits(0, 28)).isEqualTo(GgmlType.Q8_0);
    }

    @Test
    void unknownOrUnwritableTypes_areRejectedWithTheChoices() {
        assertThatThrownBy(() -> TypeMix.of("Q5_K_Z")).hasMessageContaining("unknown weight type 'Q5_K_Z'").hasMessageContaining("Q4_K_M");
        assertThatThrownBy(() -> TypeMix.of("IQ2_XXS")).hasMessageContaining("cannot write IQ2_XXS");
    }
}
