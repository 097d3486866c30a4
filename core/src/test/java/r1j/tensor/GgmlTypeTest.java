package r1j.tensor;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GgmlTypeTest {

    @Test
    void byId_findsEveryTypeByItsGgufId() {
        for (GgmlType t : GgmlType.values()) assertThat(GgmlType.byId(t.id())).isSameAs(t);
        assertThat(GgmlType.byId(4)).isNull(); // Q4_2 was removed from ggml
        assertThat(GgmlType.byId(999)).isNull();
    }

    @Test
    void bytesFor_countsWholeBlocks() {
        assertThat(GgmlType.Q4_K.bytesFor(512)).isEqualTo(288);
        assertThat(GgmlType.Q8_0.bytesFor(64)).isEqualTo(68);
        assertThat(GgmlType.F16.bytesFor(3)).isEqualTo(6);
        assertThatThrownBy(() -> GgmlType.Q6_K.bytesFor(100)).hasMessageContaining("256-element blocks");
    }
}
