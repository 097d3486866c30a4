package r1j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code C[M, N] += A[M, K] @ B[K, N]} over plain row-major float arrays: the kernel behind every matmul of the
 * trainer ({@code r1j.train}: forward, and both gradients through transposed copies). Register-blocked: a tile of 4
 * rows × 2 vectors of C stays in registers while {@code k} runs, so each loaded vector of B feeds four FMAs instead
 * of one load-add-store per element as in a plain axpy loop (which left the trainer at ~5 GFLOP/s on two cores).
 */
public final class FloatMatMul {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private FloatMatMul() {}

    /**
     * Rows {@code [from, to)} of {@code c [*, n] += a [*, k] @ b [k, n]}; threads split over rows, so they never write
     * the same element.
     */
    public static void accumulate(float[] a, float[] b, float[] c, int k, int n, int from, int to) {
        int nv = n / (2 * L) * (2 * L); // columns covered by the two-vector tiles
        int m = from;
        for (; m + 3 < to; m += 4) {
            int a0 = m * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
            for (int j = 0; j < nv; j += 2 * L) {
                tile4(a, b, c, k, n, m, j, a0, a1, a2, a3);
            }
            for (int r = m; r < m + 4; r++) {
                tail(a, b, c, k, n, r, nv);
            }
        }
        for (; m < to; m++) {
            for (int j = 0; j < nv; j += 2 * L) {
                tile1(a, b, c, k, n, m, j);
            }
            tail(a, b, c, k, n, m, nv);
        }
    }

    private static void tile4(float[] a, float[] b, float[] c, int k, int n, int m, int j,
                              int a0, int a1, int a2, int a3) {
        int c0 = m * n + j, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
        FloatVector s00 = FloatVector.fromArray(S, c, c0), s01 = FloatVector.fromArray(S, c, c0 + L);
        FloatVector s10 = FloatVector.fromArray(S, c, c1), s11 = FloatVector.fromArray(S, c, c1 + L);
        FloatVector s20 = FloatVector.fromArray(S, c, c2), s21 = FloatVector.fromArray(S, c, c2 + L);
        FloatVector s30 = FloatVector.fromArray(S, c, c3), s31 = FloatVector.fromArray(S, c, c3 + L);
        for (int p = 0, bo = j; p < k; p++, bo += n) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo), b1 = FloatVector.fromArray(S, b, bo + L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            s00 = x.fma(b0, s00);
            s01 = x.fma(b1, s01);
            x = FloatVector.broadcast(S, a[a1 + p]);
            s10 = x.fma(b0, s10);
            s11 = x.fma(b1, s11);
            x = FloatVector.broadcast(S, a[a2 + p]);
            s20 = x.fma(b0, s20);
            s21 = x.fma(b1, s21);
            x = FloatVector.broadcast(S, a[a3 + p]);
            s30 = x.fma(b0, s30);
            s31 = x.fma(b1, s31);
        }
        s00.intoArray(c, c0);
        s01.intoArray(c, c0 + L);
        s10.intoArray(c, c1);
        s11.intoArray(c, c1 + L);
        s20.intoArray(c, c2);
        s21.intoArray(c, c2 + L);
        s30.intoArray(c, c3);
        s31.intoArray(c, c3 + L);
    }

    private static void tile1(float[] a, float[] b, float[] c, int k, int n, int m, int j) {
        int c0 = m * n + j, a0 = m * k;
        FloatVector s0 = FloatVector.fromArray(S, c, c0), s1 = FloatVector.fromArray(S, c, c0 + L);
        for (int p = 0, bo = j; p < k; p++, bo += n) {
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            s0 = x.fma(FloatVector.fromArray(S, b, bo), s0);
            s1 = x.fma(FloatVector.fromArray(S, b, bo + L), s1);
        }
        s0.intoArray(c, c0);
        s1.intoArray(c, c0 + L);
    }

    /** Columns {@code [from, n)} of row {@code m}, scalar (at most 2L - 1 of them). */
    private static void tail(float[] a, float[] b, float[] c, int k, int n, int m, int from) {
        if (from == n) {
            return;
        }
        int a0 = m * k, c0 = m * n;
        for (int p = 0, bo = 0; p < k; p++, bo += n) {
            float x = a[a0 + p];
            for (int j = from; j < n; j++) {
                c[c0 + j] += x * b[bo + j];
            }
        }
    }

    /** The plain loop {@link #accumulate} must equal (to rounding). */
    public static void accumulateReference(float[] a, float[] b, float[] c, int k, int n, int from, int to) {
        for (int m = from; m < to; m++) {
            for (int j = 0; j < n; j++) {
                float s = c[m * n + j];
                for (int p = 0; p < k; p++) {
                    s += a[m * k + p] * b[p * n + j];
                }
                c[m * n + j] = s;
            }
        }
    }

    /** {@code [rows, cols]} → {@code [cols, rows]}. */
    public static float[] transpose(float[] x, int rows, int cols) {
        float[] t = new float[x.length];
        for (int r = 0; r < rows; r++) {
            for (int q = 0; q < cols; q++) {
                t[q * rows + r] = x[r * cols + q];
            }
        }
        return t;
    }
}
