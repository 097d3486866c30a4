package r1j.tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every supported type's Vector API kernels against its scalar reference, at aligned, unaligned and tail sizes:
 * the fast dequantizer must match bit for bit, the fast dot up to float summation order. This runs at the
 * machine's preferred vector width; run it again with {@code -Dr1j.vector.bits=256} or {@code 512} (surefire
 * {@code -DargLine}) to cover the other width.
 */
class WeightMatrixKernelTest {

    static Stream<Arguments> typesAndShapes() {
        return Arrays.stream(GgmlType.values()).filter(GgmlType::supported).flatMap(t -> {
            int bs = t.blockSize();
            int[] colsList = bs == 1 ? new int[] {1, 7, 16, 33, 100, 1027} : new int[] {bs, 3 * bs, 7 * bs, 16 * bs};
            return Arrays.stream(colsList).boxed().flatMap(cols ->
                    Stream.of(0, 3, 6).map(mis -> Arguments.of(t, cols, mis)));
        });
    }

    @ParameterizedTest(name = "{0} cols={1} misalign={2}")
    @MethodSource("typesAndShapes")
    void dot_equalsScalarReference(GgmlType type, int cols, int misalign) {
        int rows = 3;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = RandomBlocks.segment(arena, RandomBlocks.bytes(type, rows, cols, 17 * cols + misalign), misalign);
            WeightMatrix w = WeightMatrix.of(type, data, rows, cols);
            float[] x = RandomBlocks.gaussian(cols + 5, cols);
            float[] row = new float[cols];
            float[] fast = new float[cols + 3];
            for (int r = 0; r < rows; r++) {
                w.dequantizeRowReference(r, row, 0);
                w.dequantizeRow(r, fast, 3);
                assertThat(Arrays.copyOfRange(fast, 3, cols + 3)).as("%s row %d fast dequantize", type, r).isEqualTo(row);
                double sumAbs = 0;
                for (int c = 0; c < cols; c++) {
                    assertThat(Float.isFinite(row[c])).as("finite weight").isTrue();
                    sumAbs += Math.abs(row[c] * x[5 + c]);
                }
                float ref = w.dotReference(r, x, 5);
                assertThat((double) w.dot(r, x, 5)).as("%s row %d", type, r)
                        .isCloseTo(ref, org.assertj.core.data.Offset.offset(RandomBlocks.sumTolerance(cols, sumAbs)));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("supportedTypes")
    void matmul_equalsPerRowDot_forBatchesOf1_3_17(GgmlType type) {
        int rows = 37;
        int cols = 2 * Math.max(type.blockSize(), 64);
        try (Arena arena = Arena.ofShared(); ComputePool pool = new ComputePool(3)) {
            MemorySegment data = RandomBlocks.segment(arena, RandomBlocks.bytes(type, rows, cols, 99), 1);
            WeightMatrix w = WeightMatrix.of(type, data, rows, cols);
            for (int n : new int[] {1, 3, 17}) {
                float[] x = RandomBlocks.gaussian(n * cols, n);
                float[] out = new float[n * rows];
                w.matmul(x, n, out, pool);
                float[] weights = new float[rows * cols];
                for (int r = 0; r < rows; r++) w.dequantizeRow(r, weights, r * cols);
                for (int i = 0; i < n; i++) {
                    for (int r = 0; r < rows; r++) {
                        double sumAbs = 0;
                        for (int c = 0; c < cols; c++) sumAbs += Math.abs(weights[r * cols + c] * x[i * cols + c]);
                        assertThat((double) out[i * rows + r]).as("%s n=%d i=%d r=%d", type, n, i, r)
                                .isCloseTo(w.dot(r, x, i * cols), org.assertj.core.data.Offset.offset(RandomBlocks.sumTolerance(cols, sumAbs)));
                    }
                }
            }
        }
    }

    static Stream<GgmlType> supportedTypes() {
        return Arrays.stream(GgmlType.values()).filter(GgmlType::supported);
    }

    @Test
    void vectorWidth_followsTheSystemProperty() {
        String bits = System.getProperty("r1j.vector.bits");
        int expected = bits == null ? jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize() : Integer.parseInt(bits);
        assertThat(Vectors.FLOAT.vectorBitSize()).isEqualTo(expected);
        assertThat(Vectors.QUANTIZED).as("quantized kernels run vectorised from 4 float lanes up").isEqualTo(expected >= 128);
    }

    @Test
    void rowRange_viewsTheSameRowsWithoutCopying() {
        for (GgmlType t : new GgmlType[] {GgmlType.F16, GgmlType.Q5_0, GgmlType.Q4_K}) {
            int rows = 6, cols = t.blockSize() == 1 ? 40 : 2 * t.blockSize();
            WeightMatrix w = WeightMatrix.of(t, MemorySegment.ofArray(RandomBlocks.bytes(t, rows, cols, 5)), rows, cols);
            WeightMatrix expert = w.rowRange(2, 3);
            assertThat(expert.rows()).isEqualTo(3);
            float[] a = new float[cols], b = new float[cols];
            for (int r = 0; r < 3; r++) {
                w.dequantizeRowReference(2 + r, a, 0);
                expert.dequantizeRowReference(r, b, 0);
                assertThat(b).as("%s row %d", t, r).isEqualTo(a);
            }
            assertThatThrownBy(() -> w.rowRange(4, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void of_rejectsUnsupportedTypeByName() {
        MemorySegment data = MemorySegment.ofArray(new byte[292]);
        assertThatThrownBy(() -> WeightMatrix.of(GgmlType.Q8_K, data, 1, 256))
                .isInstanceOf(UnsupportedTensorTypeException.class)
                .hasMessageContaining("Q8_K").hasMessageContaining("Q4_K");
    }

    @Test
    void of_rejectsWrongSizeAndPartialBlocks() {
        assertThatThrownBy(() -> WeightMatrix.of(GgmlType.Q4_0, MemorySegment.ofArray(new byte[35]), 1, 64))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs 36 bytes");
        assertThatThrownBy(() -> WeightMatrix.of(GgmlType.Q4_0, MemorySegment.ofArray(new byte[18]), 1, 16))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32-element blocks");
    }
}
