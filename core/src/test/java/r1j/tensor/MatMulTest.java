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
import static org.assertj.core.api.Assertions.within;

/**
 * The matrix-product kernels behind {@link WeightMatrix#matmul} and {@link MatMul#runAll} against the scalar
 * reference ({@link WeightMatrix#dotReference}): the decode kernels (one activation row, offsets folded into the
 * prepared activation sums) and the register-tiled batch kernel, at aligned, unaligned and tail sizes, for 1 to 3
 * threads. Run at each vector width with {@code -Dr1j.vector.bits=128|256|512} (surefire {@code -DargLine}).
 */
class MatMulTest {

    /**
     * The decode kernels sum {@code q*x} and {@code offset*x} separately, terms up to twice {@code |w*x|} that
     * cancel: their rounding budget is that of a sum of {@code |w*x|} this many times over.
     */
    private static final double FOLDED_TERMS = 4;

    static Stream<Arguments> typesShapesThreads() {
        return Arrays.stream(GgmlType.values()).filter(GgmlType::supported).flatMap(t -> {
            int bs = t.blockSize();
            int[] colsList = bs == 1 ? new int[] {16, 33, 1027} : new int[] {bs, 3 * bs, 7 * bs};
            return Arrays.stream(colsList).boxed().flatMap(cols -> Stream.of(
                    Arguments.of(t, cols, 0, 1), Arguments.of(t, cols, 3, 2), Arguments.of(t, cols, 6, 3)));
        });
    }

    @ParameterizedTest(name = "{0} cols={1} misalign={2} threads={3}")
    @MethodSource("typesShapesThreads")
    void matmul_oneRow_equalsScalarReference(GgmlType type, int cols, int misalign, int threads) {
        int rows = 53; // not a multiple of the tile or of the thread alignment: every slice edge has a tail
        try (Arena arena = Arena.ofShared(); ComputePool pool = new ComputePool(threads)) {
            WeightMatrix w = WeightMatrix.of(type, RandomBlocks.segment(arena, RandomBlocks.bytes(type, rows, cols, cols + misalign), misalign), rows, cols);
            float[] x = RandomBlocks.gaussian(cols, 7 * cols);
            float[] out = new float[rows];
            w.matmul(x, 1, out, pool);
            for (int r = 0; r < rows; r++) {
                assertThat((double) out[r]).as("%s row %d", type, r)
                        .isCloseTo(w.dotReference(r, x, 0), within(FOLDED_TERMS * tolerance(w, r, x, 0)));
            }
        }
    }

    @ParameterizedTest(name = "{0} cols={1} misalign={2} threads={3}")
    @MethodSource("typesShapesThreads")
    void matmul_batchOf4to9Rows_equalsScalarReference(GgmlType type, int cols, int misalign, int threads) {
        int rows = 37;
        try (Arena arena = Arena.ofShared(); ComputePool pool = new ComputePool(threads)) {
            WeightMatrix w = WeightMatrix.of(type, RandomBlocks.segment(arena, RandomBlocks.bytes(type, rows, cols, cols * 3L + misalign), misalign), rows, cols);
            for (int n : new int[] {4, 5, 9}) { // whole 4x4 tiles, and tails of 1 activation row
                float[] x = RandomBlocks.gaussian(n * cols, n + cols);
                float[] out = new float[n * rows];
                w.matmul(x, n, out, pool);
                for (int i = 0; i < n; i++) {
                    for (int r = 0; r < rows; r++) {
                        assertThat((double) out[i * rows + r]).as("%s n=%d i=%d r=%d", type, n, i, r)
                                .isCloseTo(w.dotReference(r, x, i * cols), within(tolerance(w, r, x, i * cols)));
                    }
                }
            }
        }
    }

    static Stream<Arguments> typesForPrompts() {
        return Arrays.stream(GgmlType.values()).filter(GgmlType::supported).flatMap(t -> Stream.of(
                Arguments.of(t, 1), Arguments.of(t, 3)));
    }

    /**
     * A prompt's worth of activation rows through a matrix in its file's layout: whole row groups run the F32 panels
     * (several 256-column panels, the last one partial), the rows short of a group the 4 × 4 tile.
     */
    @ParameterizedTest(name = "{0} threads={1}")
    @MethodSource("typesForPrompts")
    void matmul_promptOfManyRows_equalsScalarReference(GgmlType type, int threads) {
        int rows = 2 * RowGroupPanels.G + 5, bs = type.blockSize();
        int cols = bs == 1 ? 333 : bs * ((300 + bs - 1) / bs);
        int n = MatMul.PANEL_ROWS + 6; // 6-row tiles, then a 4-row one
        try (Arena arena = Arena.ofShared(); ComputePool pool = new ComputePool(threads)) {
            WeightMatrix w = WeightMatrix.of(type, RandomBlocks.segment(arena, RandomBlocks.bytes(type, rows, cols, cols + 11L), 0), rows, cols);
            float[] x = RandomBlocks.gaussian(n * cols, 3L * cols);
            float[] out = new float[n * rows];
            w.matmul(x, n, out, pool);
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < n; i++) {
                    assertThat((double) out[i * rows + r]).as("%s i=%d r=%d", type, i, r)
                            .isCloseTo(w.dotReference(r, x, i * cols), within(tolerance(w, r, x, i * cols)));
                }
            }
        }
    }

    @Test
    void runAll_givesEachMatrixWhatItsOwnMatmulGives() {
        GgmlType[] types = {GgmlType.Q4_K, GgmlType.Q6_K, GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.F16};
        int cols = 512;
        int[] rows = {40, 17, 130, 3, 64};
        try (Arena arena = Arena.ofShared()) {
            WeightMatrix[] ws = new WeightMatrix[types.length];
            for (int m = 0; m < ws.length; m++) {
                ws[m] = WeightMatrix.of(types[m], RandomBlocks.segment(arena, RandomBlocks.bytes(types[m], rows[m], cols, m), m), rows[m], cols);
            }
            for (int threads : new int[] {1, 2, 3, 5}) {
                try (ComputePool pool = new ComputePool(threads)) {
                    for (int n : new int[] {1, 6}) {
                        float[] x = RandomBlocks.gaussian(n * cols, 11 * n);
                        float[][] fused = new float[ws.length][];
                        for (int m = 0; m < ws.length; m++) fused[m] = new float[n * rows[m]];
                        MatMul.runAll(ws, x, n, fused, pool);
                        for (int m = 0; m < ws.length; m++) {
                            float[] alone = new float[n * rows[m]];
                            ws[m].matmul(x, n, alone, pool);
                            // Same kernel per row; only the Vector API's lane-reduction order may differ between
                            // JIT tiers, so the comparison allows summation-order rounding.
                            for (int i = 0; i < n; i++) {
                                for (int r = 0; r < rows[m]; r++) {
                                    assertThat((double) fused[m][i * rows[m] + r]).as("%s, %d threads, n=%d, i=%d, r=%d", types[m], threads, n, i, r)
                                            .isCloseTo(alone[i * rows[m] + r], within(FOLDED_TERMS * tolerance(ws[m], r, x, i * cols)));
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void runAll_keepsF32MatricesOnTheirOriginalArithmetic() {
        int cols = 40, rows = 21;
        try (Arena arena = Arena.ofShared(); ComputePool pool = new ComputePool(2)) {
            WeightMatrix a = WeightMatrix.of(GgmlType.F32, RandomBlocks.segment(arena, RandomBlocks.bytes(GgmlType.F32, rows, cols, 1), 0), rows, cols);
            WeightMatrix b = WeightMatrix.of(GgmlType.Q8_0, RandomBlocks.segment(arena, RandomBlocks.bytes(GgmlType.Q8_0, rows, 64, 2), 0), rows, 64);
            float[] x = RandomBlocks.gaussian(cols, 3);
            float[] out = new float[rows];
            MatMul.runAll(new WeightMatrix[] {a}, x, 1, new float[][] {out}, pool);
            for (int r = 0; r < rows; r++) {
                assertThat((double) out[r]).as("row %d", r).isCloseTo(a.dot(r, x, 0), within(tolerance(a, r, x, 0)));
            }
            assertThatThrownBy(() -> MatMul.runAll(new WeightMatrix[] {a, b}, x, 1, new float[][] {out, new float[rows]}, pool))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("matrix 1 has 64 columns");
        }
    }

    @Test
    void runAll_rejectsMismatchedOutputs() {
        WeightMatrix w = WeightMatrix.of(GgmlType.Q8_0, MemorySegment.ofArray(RandomBlocks.bytes(GgmlType.Q8_0, 4, 32, 1)), 4, 32);
        try (ComputePool pool = new ComputePool(1)) {
            assertThatThrownBy(() -> MatMul.runAll(new WeightMatrix[] {w, w}, new float[32], 1, new float[][] {new float[4]}, pool))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one output per matrix");
            assertThatThrownBy(() -> MatMul.runAll(new WeightMatrix[] {w}, new float[32], 1, new float[][] {new float[3]}, pool))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("matrix 0: output holds 3 floats");
        }
    }

    @Test
    void boundary_cutsSlicesOnWholeCacheLinesOfOutput() {
        WeightMatrix w = WeightMatrix.of(GgmlType.Q8_0, MemorySegment.ofArray(new byte[100 * 34]), 100, 32);
        long size = 100 * 34;
        assertThat(MatMul.boundary(w, 0, 0, size)).isZero();
        assertThat(MatMul.boundary(w, size, 0, size)).isEqualTo(100);
        for (long pos = 1; pos < size; pos += 97) {
            int row = MatMul.boundary(w, pos, 0, size);
            assertThat(row == 100 || row % MatMul.ROW_ALIGN == 0).as("boundary at byte %d is row %d", pos, row).isTrue();
        }
    }

    @Test
    void tile4x4_equalsScalarReference() {
        for (int n : new int[] {1, 7, 16, 33, 64, 100}) {
            float[] w = RandomBlocks.gaussian(4 * n, n);
            float[] x = RandomBlocks.gaussian(3 + 4 * n, n + 1);
            int stride = 9;
            float[] fast = new float[2 + 3 * stride + 4];
            float[] ref = new float[fast.length];
            TileKernel.tile4x4(w, n, x, 3, fast, 2, stride);
            TileKernel.tile4x4Reference(w, n, x, 3, ref, 2, stride);
            for (int i = 0; i < fast.length; i++) {
                double sumAbs = 0;
                int row = (i - 2) / stride, k = (i - 2) % stride;
                if (i >= 2 && k < 4) for (int c = 0; c < n; c++) sumAbs += Math.abs(w[k * n + c] * x[3 + row * n + c]);
                assertThat((double) fast[i]).as("n=%d out[%d]", n, i).isCloseTo(ref[i], within(RandomBlocks.sumTolerance(n, sumAbs)));
            }
        }
    }

    private static double tolerance(WeightMatrix w, int r, float[] x, int xOff) {
        float[] row = new float[w.cols()];
        w.dequantizeRowReference(r, row, 0);
        double sumAbs = 0;
        for (int c = 0; c < row.length; c++) sumAbs += Math.abs(row[c] * x[xOff + c]);
        return RandomBlocks.sumTolerance(row.length, sumAbs);
    }
}
