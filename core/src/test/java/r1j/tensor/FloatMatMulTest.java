package r1j.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FloatMatMulTest {

    /** Shapes with 4-row tiles and a remainder, vector tiles and a scalar tail at any width up to 512 bits. */
    @ParameterizedTest(name = "[{0}, {1}] @ [{1}, {2}]")
    @CsvSource({"1, 1, 1", "3, 5, 4", "9, 7, 37", "13, 64, 192", "17, 16, 411", "8, 121, 16"})
    void accumulate_equalsThePlainLoop_andAddsToWhatIsThere(int m, int k, int n) {
        SplittableRandom rnd = new SplittableRandom(m * 31L + k * 7L + n);
        float[] a = random(rnd, m * k), b = random(rnd, k * n), c = random(rnd, m * n);
        float[] expected = c.clone();
        FloatMatMul.accumulateReference(a, b, expected, k, n, 0, m);
        // two row ranges, as two threads would split them
        FloatMatMul.accumulate(a, b, c, k, n, 0, m / 2);
        FloatMatMul.accumulate(a, b, c, k, n, m / 2, m);
        for (int i = 0; i < c.length; i++) {
            assertThat(c[i]).as("c[%d]", i).isCloseTo(expected[i], within(1e-4f * (1 + k)));
        }
    }

    @ParameterizedTest
    @CsvSource({"2, 3", "5, 1", "4, 16"})
    void transpose_swapsRowsAndColumns(int rows, int cols) {
        float[] x = random(new SplittableRandom(1), rows * cols);
        float[] t = FloatMatMul.transpose(x, rows, cols);
        for (int r = 0; r < rows; r++) {
            for (int q = 0; q < cols; q++) {
                assertThat(t[q * rows + r]).isEqualTo(x[r * cols + q]);
            }
        }
    }

    private static float[] random(SplittableRandom rnd, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return v;
    }
}
