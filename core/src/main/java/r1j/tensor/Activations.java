package r1j.tensor;

/**
 * The activations of one {@link MatMul} call, prepared once for every weight row that reads them: the rows
 * themselves ({@code x [n][cols]}) and, for a single row whose length is a multiple of 16, the sum of each run of
 * 16 values ({@code sums16 [cols/16]}). Decode kernels use the sums to apply a per-block offset once per block
 * ({@code sum((q - 8) * x) = sum(q * x) - 8 * sum(x)}) instead of once per weight. One instance per calling
 * thread, reused: preparing allocates only when a call needs more room than any before.
 */
final class Activations {

    float[] x;
    /** Sums of {@code x[16j .. 16j+15]} for a single activation row; unused when {@code n > 1}. */
    float[] sums16 = new float[0];

    Activations prepare(float[] x, int n, int cols) {
        this.x = x;
        if (n == 1 && cols % 16 == 0) {
            int blocks = cols / 16;
            if (sums16.length < blocks) sums16 = new float[blocks];
            sums16(x, cols, sums16);
        }
        return this;
    }

    /** {@code sums[j] = x[16j] + ... + x[16j+15]}, in that order (the kernels' reference uses the same sums). */
    static void sums16(float[] x, int cols, float[] sums) {
        for (int j = 0; j < cols / 16; j++) {
            float s = 0f;
            for (int i = 16 * j; i < 16 * j + 16; i++) s += x[i];
            sums[j] = s;
        }
    }
}
