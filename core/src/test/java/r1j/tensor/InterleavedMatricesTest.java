package r1j.tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

/**
 * The repacked Q4_0, Q4_K and Q6_K matrices against the file layout's scalar references: every value survives the repack bit
 * for bit; the decode kernel equals an independent scalar model of "activations rounded to 8 bits per 32 values,
 * then dot" (ggml's {@code quantize_row_q8_0} formula) up to float order, and stays within the rounding bound
 * {@code sum |w| * dx/2} of the F32 product; more rows than the decode kernel takes (a prompt) give the same
 * 8-bit product through F32 panels, so a row's result does not depend on its batch. Runs at every
 * vector width CI forces; below 8 float lanes there is no repacking, which is checked too.
 */
class InterleavedMatricesTest {

    static final int G = Interleaved4Matrix.G;

    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of(GgmlType.Q4_0, G, 32, 0), Arguments.of(GgmlType.Q4_0, 2 * G, 96, 3),
                Arguments.of(GgmlType.Q4_0, 3 * G, 512, 6), Arguments.of(GgmlType.Q4_K, G, 256, 0),
                Arguments.of(GgmlType.Q4_K, 2 * G, 768, 5), Arguments.of(GgmlType.Q4_K, 3 * G, 512, 1),
                Arguments.of(GgmlType.Q6_K, G, 256, 0), Arguments.of(GgmlType.Q6_K, 2 * G, 768, 3),
                Arguments.of(GgmlType.Q6_K, 3 * G, 512, 1));
    }

    @ParameterizedTest(name = "{0} {1}x{2} misalign={3}")
    @MethodSource("shapes")
    void repack_keepsEveryValue(GgmlType type, int rows, int cols, int misalign) {
        if (!vectorsAllowRepacking()) return;
        try (Arena arena = Arena.ofShared()) {
            WeightMatrix w = matrix(arena, type, rows, cols, misalign);
            WeightMatrix packed = repack(w, arena);
            assertThat(packed.type()).isEqualTo(type);
            float[] expected = new float[cols], actual = new float[cols + 2];
            for (int r = 0; r < rows; r++) {
                w.dequantizeRowReference(r, expected, 0);
                packed.dequantizeRow(r, actual, 2);
                assertThat(Arrays.copyOfRange(actual, 2, cols + 2)).as("%s row %d", type, r).isEqualTo(expected);
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}x{2} misalign={3}")
    @MethodSource("shapes")
    void decode_isTheDotOfEightBitActivations(GgmlType type, int rows, int cols, int misalign) {
        if (!vectorsAllowRepacking()) return;
        try (Arena arena = Arena.ofShared(); ComputePool pool = new ComputePool(3)) {
            WeightMatrix w = matrix(arena, type, rows, cols, misalign);
            WeightMatrix packed = repack(w, arena);
            for (int n : new int[] {1, 3, 5, 8, Activations.QUANTIZED_ROWS}) {
                float[] x = RandomBlocks.gaussian(n * cols, 31L * n + cols);
                float[] out = new float[n * rows];
                packed.matmul(x, n, out, pool);
                float[] row = new float[cols];
                for (int i = 0; i < n; i++) {
                    double[] xq = eightBit(x, i * cols, cols);
                    double[] halfStep = halfSteps(x, i * cols, cols);
                    for (int r = 0; r < rows; r++) {
                        w.dequantizeRowReference(r, row, 0);
                        double model = 0, f32 = 0, sumAbs = 0, bound = 0;
                        for (int c = 0; c < cols; c++) {
                            model += row[c] * xq[c];
                            f32 += row[c] * (double) x[i * cols + c];
                            sumAbs += Math.abs(row[c] * xq[c]);
                            bound += Math.abs(row[c]) * halfStep[c];
                        }
                        double got = out[i * rows + r];
                        // the kernel's own float roundings: partial sums and per-block scalings
                        assertThat(got).as("%s n=%d i=%d r=%d vs 8-bit model", type, n, i, r)
                                .isCloseTo(model, offset(4 * RandomBlocks.sumTolerance(cols, sumAbs) + 1e-6));
                        assertThat(got).as("%s n=%d i=%d r=%d vs F32 product", type, n, i, r)
                                .isCloseTo(f32, offset(bound + 4 * RandomBlocks.sumTolerance(cols, sumAbs) + 1e-6));
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}x{2} misalign={3}")
    @MethodSource("shapes")
    void severalRows_areTheSameEightBitProduct(GgmlType type, int rows, int cols, int misalign) {
        if (!vectorsAllowRepacking()) return;
        try (Arena arena = Arena.ofShared(); ComputePool pool = new ComputePool(3)) {
            WeightMatrix w = matrix(arena, type, rows, cols, misalign);
            WeightMatrix packed = repack(w, arena);
            for (int n : new int[] {Activations.QUANTIZED_ROWS + 1, Activations.QUANTIZED_ROWS + 10, Activations.PARALLEL_ROWS + 7}) { // 6-row tiles, then 4- and 1-row tiles; rounding split over the pool
                float[] x = RandomBlocks.gaussian(n * cols, 5L * cols);
                float[] out = new float[n * rows];
                packed.matmul(x, n, out, pool);
                float[] row = new float[cols];
                double[][] xq = new double[n][];
                for (int i = 0; i < n; i++) xq[i] = eightBit(x, i * cols, cols);
                for (int r = 0; r < rows; r++) {
                    w.dequantizeRowReference(r, row, 0);
                    for (int i = 0; i < n; i++) {
                        double sum = 0, sumAbs = 0;
                        for (int c = 0; c < cols; c++) {
                            sum += row[c] * xq[i][c];
                            sumAbs += Math.abs(row[c] * xq[i][c]);
                        }
                        assertThat((double) out[i * rows + r]).as("%s i=%d r=%d", type, i, r)
                                .isCloseTo(sum, offset(2 * RandomBlocks.sumTolerance(cols, sumAbs) + 1e-6));
                    }
                }
            }
        }
    }

    /**
     * The largest 4- and 6-bit values times activations that all quantize to 127: the kernels' 16-bit partial sums
     * are at their limit (16 products of 15 × 127, or 8 of 32 × 127) and must not wrap.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = GgmlType.class, names = {"Q4_0", "Q4_K", "Q6_K"})
    void largestValues_doNotOverflowTheSixteenBitSums(GgmlType type) {
        if (!vectorsAllowRepacking()) return;
        int rows = G, cols = 512;
        byte[] bytes = RandomBlocks.bytes(type, rows, cols, 11);
        int blockBytes = type == GgmlType.Q4_0 ? 18 : type == GgmlType.Q4_K ? 144 : 210;
        for (int b = 0; b < bytes.length / blockBytes; b++) {
            int o = b * blockBytes;
            switch (type) {
                case Q4_0 -> Arrays.fill(bytes, o + 2, o + 18, (byte) 0xFF); // every q = 15
                case Q4_K -> Arrays.fill(bytes, o + 4, o + 144, (byte) 0xFF); // scales and mins 63, every q = 15
                default -> { // Q6_K: ql = qh = 0 gives q = -32 everywhere; scales 127
                    Arrays.fill(bytes, o, o + 192, (byte) 0);
                    Arrays.fill(bytes, o + 192, o + 208, (byte) 127);
                }
            }
        }
        try (Arena arena = Arena.ofShared(); ComputePool pool = new ComputePool(2)) {
            WeightMatrix w = WeightMatrix.of(type, RandomBlocks.segment(arena, bytes, 0), rows, cols);
            WeightMatrix packed = repack(w, arena);
            for (int n : new int[] {1, 4, Activations.QUANTIZED_ROWS}) {
                float[] x = new float[n * cols];
                for (int i = 0; i < n; i++) Arrays.fill(x, i * cols, (i + 1) * cols, i % 2 == 0 ? 1f : -1f); // q = ±127
                float[] out = new float[n * rows];
                packed.matmul(x, n, out, pool);
                float[] row = new float[cols];
                for (int r = 0; r < rows; r++) {
                    w.dequantizeRowReference(r, row, 0);
                    double sum = 0, sumAbs = 0;
                    for (float v : row) {
                        sum += v;
                        sumAbs += Math.abs(v);
                    }
                    for (int i = 0; i < n; i++) {
                        assertThat((double) out[i * rows + r]).as("%s n=%d i=%d r=%d", type, n, i, r)
                                .isCloseTo(i % 2 == 0 ? sum : -sum, offset(4 * RandomBlocks.sumTolerance(cols, sumAbs) + 1e-6));
                    }
                }
            }
        }
    }

    @Test
    void onlyWholeGroupsOfFourBitRows_areRepacked() {
        try (Arena arena = Arena.ofShared()) {
            assertThat(Interleaved4Matrix.canRepack(matrix(arena, GgmlType.Q8_0, G, 64, 0))).isFalse();
            assertThat(Interleaved4Matrix.canRepack(matrix(arena, GgmlType.Q4_0, G + 1, 64, 0))).isFalse();
            assertThat(Interleaved4Matrix.canRepack(matrix(arena, GgmlType.Q4_0, G, 64, 0))).isEqualTo(vectorsAllowRepacking());
            assertThat(Interleaved6Matrix.canRepack(matrix(arena, GgmlType.Q6_K, G, 256, 0))).isEqualTo(vectorsAllowRepacking());
            assertThat(Interleaved6Matrix.canRepack(matrix(arena, GgmlType.Q4_K, G, 256, 0))).isFalse();
            if (!vectorsAllowRepacking()) return;
            WeightMatrix w = matrix(arena, GgmlType.Q4_K, G, 256, 0);
            WeightMatrix packed = repack(w, arena);
            assertThatThrownBy(() -> packed.rowRange(0, 1)).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> Interleaved4Matrix.repack(matrix(arena, GgmlType.Q8_0, G, 64, 0), null, arena))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Q8_0");
        }
    }

    /** {@code w} repacked by the class for its type. */
    private static WeightMatrix repack(WeightMatrix w, Arena arena) {
        RowSource source = RowSource.of(w);
        return w.type() == GgmlType.Q6_K ? Interleaved6Matrix.repack(w, source, arena) : Interleaved4Matrix.repack(w, source, arena);
    }

    /** Repacking needs vectors of at least 8 floats (AVX2); at 128 bits the file layout's kernels run. */
    private static boolean vectorsAllowRepacking() {
        return Vectors.L >= 8;
    }

    private static WeightMatrix matrix(Arena arena, GgmlType type, int rows, int cols, int misalign) {
        MemorySegment data = RandomBlocks.segment(arena, RandomBlocks.bytes(type, rows, cols, 7L * rows + cols), misalign);
        return WeightMatrix.of(type, data, rows, cols);
    }

    /**
     * ggml's {@code quantize_row_q8_0} rounding, kept in double: {@code d = max|x| / 127}, {@code x ≈ d * q} with
     * {@code q = roundf(x * (1/d))}, C's {@code roundf} rounding half away from zero.
     */
    private static double[] eightBit(float[] x, int from, int cols) {
        double[] out = new double[cols];
        for (int b = 0; b < cols / 32; b++) {
            float amax = 0;
            for (int c = 32 * b; c < 32 * b + 32; c++) amax = Math.max(amax, Math.abs(x[from + c]));
            float d = amax / 127f, id = d == 0 ? 0 : 1f / d;
            for (int c = 32 * b; c < 32 * b + 32; c++) {
                float v = x[from + c] * id;
                out[c] = d * Math.signum(v) * Math.floor(Math.abs(v) + 0.5);
            }
        }
        return out;
    }

    /** Half the rounding step of each activation: the most 8-bit rounding moves it. */
    private static double[] halfSteps(float[] x, int from, int cols) {
        double[] out = new double[cols];
        for (int b = 0; b < cols / 32; b++) {
            float amax = 0;
            for (int c = 32 * b; c < 32 * b + 32; c++) amax = Math.max(amax, Math.abs(x[from + c]));
            Arrays.fill(out, 32 * b, 32 * b + 32, amax / 127.0 / 2 * 1.0001);
        }
        return out;
    }
}
