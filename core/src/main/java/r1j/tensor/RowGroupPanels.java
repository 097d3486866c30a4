package r1j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The F32 register tile of prompts: of the repacked matrices ({@link Interleaved4Matrix}, {@link Interleaved6Matrix})
 * and, from {@link MatMul#PANEL_ROWS} rows, of every other quantized or F16/BF16 matrix
 * ({@code MatMul.rowsTimesPanels}): a panel {@code [COLS][G]} of one row group's weights, dequantized column by
 * column (rows in lanes), times 6 (then 4, then 1) activation rows at a time — each panel vector feeds 6 FMAs, each
 * activation value is one broadcast. {@code dequantize(W) · x} up to float summation order.
 */
final class RowGroupPanels {

    private static final VectorSpecies<Float> F = Vectors.FLOAT;
    private static final int L = Vectors.L;
    /** Rows per group, as in the repacked layouts. */
    static final int G = 2 * L;
    /** Columns per panel: a multiple of the 256-column super-blocks, small enough for L1/L2. */
    static final int COLS = 256;

    private static final ThreadLocal<float[]> PANEL = ThreadLocal.withInitial(() -> new float[COLS * G]);

    private RowGroupPanels() {}

    /** This thread's panel, {@code COLS * G} floats. */
    static float[] scratch() {
        return PANEL.get();
    }

    /**
     * The panel (columns {@code c0 .. c0+width-1} of the {@link #G} rows from {@code r0}) times all {@code n}
     * activation rows: 6, then 4, then 1 at a time. {@code first} stores, otherwise adds to, the outputs.
     */
    static void timesRows(float[] panel, int width, float[] x, int cols, int n, int c0, float[] out, int rows, int r0, boolean first) {
        int i = 0;
        for (; i + 6 <= n; i += 6) times6(panel, width, x, cols, i, c0, out, rows, r0, first);
        for (; i + 4 <= n; i += 4) times4(panel, width, x, cols, i, c0, out, rows, r0, first);
        for (; i < n; i++) times1(panel, width, x, cols, i, c0, out, rows, r0, first);
    }

    /** As {@link #times4}, for activation rows {@code i .. i+5}: 12 accumulators, still within AVX2's 16 registers. */
    static void times6(float[] panel, int width, float[] x, int cols, int i, int c0, float[] out, int rows, int r0, boolean first) {
        int x0 = i * cols + c0, x1 = x0 + cols, x2 = x1 + cols, x3 = x2 + cols, x4 = x3 + cols, x5 = x4 + cols;
        int o0 = i * rows + r0, o1 = o0 + rows, o2 = o1 + rows, o3 = o2 + rows, o4 = o3 + rows, o5 = o4 + rows;
        FloatVector a00, a01, a10, a11, a20, a21, a30, a31, a40, a41, a50, a51;
        if (first) {
            a00 = FloatVector.zero(F); a01 = a00; a10 = a00; a11 = a00; a20 = a00; a21 = a00; a30 = a00; a31 = a00; a40 = a00; a41 = a00; a50 = a00; a51 = a00;
        } else {
            a00 = FloatVector.fromArray(F, out, o0); a01 = FloatVector.fromArray(F, out, o0 + L);
            a10 = FloatVector.fromArray(F, out, o1); a11 = FloatVector.fromArray(F, out, o1 + L);
            a20 = FloatVector.fromArray(F, out, o2); a21 = FloatVector.fromArray(F, out, o2 + L);
            a30 = FloatVector.fromArray(F, out, o3); a31 = FloatVector.fromArray(F, out, o3 + L);
            a40 = FloatVector.fromArray(F, out, o4); a41 = FloatVector.fromArray(F, out, o4 + L);
            a50 = FloatVector.fromArray(F, out, o5); a51 = FloatVector.fromArray(F, out, o5 + L);
        }
        for (int c = 0; c < width; c++) {
            FloatVector w0 = FloatVector.fromArray(F, panel, c * G), w1 = FloatVector.fromArray(F, panel, c * G + L);
            FloatVector v = FloatVector.broadcast(F, x[x0 + c]);
            a00 = w0.fma(v, a00); a01 = w1.fma(v, a01);
            v = FloatVector.broadcast(F, x[x1 + c]);
            a10 = w0.fma(v, a10); a11 = w1.fma(v, a11);
            v = FloatVector.broadcast(F, x[x2 + c]);
            a20 = w0.fma(v, a20); a21 = w1.fma(v, a21);
            v = FloatVector.broadcast(F, x[x3 + c]);
            a30 = w0.fma(v, a30); a31 = w1.fma(v, a31);
            v = FloatVector.broadcast(F, x[x4 + c]);
            a40 = w0.fma(v, a40); a41 = w1.fma(v, a41);
            v = FloatVector.broadcast(F, x[x5 + c]);
            a50 = w0.fma(v, a50); a51 = w1.fma(v, a51);
        }
        a00.intoArray(out, o0); a01.intoArray(out, o0 + L);
        a10.intoArray(out, o1); a11.intoArray(out, o1 + L);
        a20.intoArray(out, o2); a21.intoArray(out, o2 + L);
        a30.intoArray(out, o3); a31.intoArray(out, o3 + L);
        a40.intoArray(out, o4); a41.intoArray(out, o4 + L);
        a50.intoArray(out, o5); a51.intoArray(out, o5 + L);
    }

    /**
     * Activation rows {@code i .. i+3}: {@code out[(i+t)*rows + r0 ..] = panel · x[i+t][c0 ..]}, plus what
     * {@code out} holds unless this is the {@code first} panel. (Accumulators are loaded and stored here, not in a
     * helper: a vector passed to a call C2 does not inline is boxed.)
     */
    static void times4(float[] panel, int width, float[] x, int cols, int i, int c0, float[] out, int rows, int r0, boolean first) {
        int x0 = i * cols + c0, x1 = x0 + cols, x2 = x1 + cols, x3 = x2 + cols;
        int o0 = i * rows + r0, o1 = o0 + rows, o2 = o1 + rows, o3 = o2 + rows;
        FloatVector a00, a01, a10, a11, a20, a21, a30, a31;
        if (first) {
            a00 = FloatVector.zero(F); a01 = a00; a10 = a00; a11 = a00; a20 = a00; a21 = a00; a30 = a00; a31 = a00;
        } else {
            a00 = FloatVector.fromArray(F, out, o0); a01 = FloatVector.fromArray(F, out, o0 + L);
            a10 = FloatVector.fromArray(F, out, o1); a11 = FloatVector.fromArray(F, out, o1 + L);
            a20 = FloatVector.fromArray(F, out, o2); a21 = FloatVector.fromArray(F, out, o2 + L);
            a30 = FloatVector.fromArray(F, out, o3); a31 = FloatVector.fromArray(F, out, o3 + L);
        }
        for (int c = 0; c < width; c++) {
            FloatVector w0 = FloatVector.fromArray(F, panel, c * G), w1 = FloatVector.fromArray(F, panel, c * G + L);
            FloatVector v = FloatVector.broadcast(F, x[x0 + c]);
            a00 = w0.fma(v, a00); a01 = w1.fma(v, a01);
            v = FloatVector.broadcast(F, x[x1 + c]);
            a10 = w0.fma(v, a10); a11 = w1.fma(v, a11);
            v = FloatVector.broadcast(F, x[x2 + c]);
            a20 = w0.fma(v, a20); a21 = w1.fma(v, a21);
            v = FloatVector.broadcast(F, x[x3 + c]);
            a30 = w0.fma(v, a30); a31 = w1.fma(v, a31);
        }
        a00.intoArray(out, o0); a01.intoArray(out, o0 + L);
        a10.intoArray(out, o1); a11.intoArray(out, o1 + L);
        a20.intoArray(out, o2); a21.intoArray(out, o2 + L);
        a30.intoArray(out, o3); a31.intoArray(out, o3 + L);
    }

    static void times1(float[] panel, int width, float[] x, int cols, int i, int c0, float[] out, int rows, int r0, boolean first) {
        int x0 = i * cols + c0, o = i * rows + r0;
        FloatVector a0 = first ? FloatVector.zero(F) : FloatVector.fromArray(F, out, o);
        FloatVector a1 = first ? FloatVector.zero(F) : FloatVector.fromArray(F, out, o + L);
        for (int c = 0; c < width; c++) {
            FloatVector v = FloatVector.broadcast(F, x[x0 + c]);
            a0 = FloatVector.fromArray(F, panel, c * G).fma(v, a0);
            a1 = FloatVector.fromArray(F, panel, c * G + L).fma(v, a1);
        }
        a0.intoArray(out, o);
        a1.intoArray(out, o + L);
    }
}
