package r1j.tensor;

import java.lang.foreign.MemorySegment;

/**
 * A row-major matrix {@code [rows][cols]} of one ggml type over a (memory-mapped, little-endian, possibly
 * unaligned) {@link MemorySegment}. {@code cols} is GGUF's {@code ne[0]} (the contiguous dimension) and
 * {@code rows} the product of the other dimensions; each row is a whole number of the type's blocks.
 *
 * <p>All products use dequantize-then-dot semantics with F32 activations: {@link #dot} equals
 * {@link #dotReference} (the plain loop over {@link #dequantizeRowReference}) up to float summation order, and
 * {@link #dequantizeRow} equals {@link #dequantizeRowReference} bit for bit.
 */
public sealed interface WeightMatrix permits F32Matrix, F16Matrix, BF16Matrix, Q8_0Matrix, Q4_0Matrix, Q4_1Matrix,
        Q5_0Matrix, Q5_1Matrix, Q2_KMatrix, Q3_KMatrix, Q4_KMatrix, Q5_KMatrix, Q6_KMatrix, Interleaved4Matrix,
        Interleaved6Matrix {

    /**
     * A view of {@code data} as a {@code [rows][cols]} matrix of {@code type}; nothing is copied.
     *
     * @throws UnsupportedTensorTypeException if r1j has no kernels for {@code type}
     * @throws IllegalArgumentException if {@code cols} is not a whole number of blocks or {@code data} has the wrong size
     */
    static WeightMatrix of(GgmlType type, MemorySegment data, int rows, int cols) {
        return switch (type) {
            case F32 -> new F32Matrix(data, rows, cols);
            case F16 -> new F16Matrix(data, rows, cols);
            case BF16 -> new BF16Matrix(data, rows, cols);
            case Q8_0 -> new Q8_0Matrix(data, rows, cols);
            case Q4_0 -> new Q4_0Matrix(data, rows, cols);
            case Q4_1 -> new Q4_1Matrix(data, rows, cols);
            case Q5_0 -> new Q5_0Matrix(data, rows, cols);
            case Q5_1 -> new Q5_1Matrix(data, rows, cols);
            case Q2_K -> new Q2_KMatrix(data, rows, cols);
            case Q3_K -> new Q3_KMatrix(data, rows, cols);
            case Q4_K -> new Q4_KMatrix(data, rows, cols);
            case Q5_K -> new Q5_KMatrix(data, rows, cols);
            case Q6_K -> new Q6_KMatrix(data, rows, cols);
            case Q8_1, Q8_K, IQ2_XXS, IQ2_XS, IQ3_XXS, IQ1_S, IQ4_NL, IQ3_S, IQ2_S, IQ4_XS, I8, I16, I32, I64, F64,
                 IQ1_M, TQ1_0, TQ2_0 -> throw new UnsupportedTensorTypeException(type);
        };
    }

    GgmlType type();

    int rows();

    int cols();

    /** The raw blocks, {@code rows * type().bytesFor(cols)} bytes. */
    MemorySegment data();

    /** Bytes one row occupies. */
    default long rowBytes() { return type().bytesFor(cols()); }

    /**
     * Rows {@code from .. from+count-1} as a matrix of their own, sharing this one's memory: one expert of a 3-D MoE
     * tensor ({@code ne = [cols, rowsPerExpert, experts]}) is {@code rowRange(e * rowsPerExpert, rowsPerExpert)}.
     *
     * @throws IndexOutOfBoundsException if the range is not inside this matrix
     */
    default WeightMatrix rowRange(int from, int count) {
        java.util.Objects.checkFromIndexSize(from, count, rows());
        if (count == 0) throw new IndexOutOfBoundsException("an empty row range has no matrix");
        return of(type(), data().asSlice(from * rowBytes(), count * rowBytes()), count, cols());
    }

    /** {@code sum_c W[row,c] * x[xOffset+c]}, with the type's Vector API kernel. */
    float dot(int row, float[] x, int xOffset);

    /** The same sum as {@link #dot}, as a plain scalar loop over {@link #dequantizeRowReference}: the kernels' reference. */
    default float dotReference(int row, float[] x, int xOffset) {
        float[] w = new float[cols()];
        dequantizeRowReference(row, w, 0);
        float sum = 0f;
        for (int c = 0; c < w.length; c++) sum += w[c] * x[xOffset + c];
        return sum;
    }

    /**
     * Writes {@code W[row, :]} as F32 to {@code out[outOffset .. outOffset+cols)}, with the type's Vector API
     * decoder: bit-identical to {@link #dequantizeRowReference}.
     */
    void dequantizeRow(int row, float[] out, int outOffset);

    /** {@code W[row, :]} as F32, decoded value by value with ggml's {@code dequantize_row_*} formula. */
    void dequantizeRowReference(int row, float[] out, int outOffset);

    /**
     * {@code out[i*rows + r] = dot(r, x, i*cols)} for {@code i < n}, {@code r < rows}: {@code n} activation rows
     * {@code x [n][cols]} against this matrix, giving {@code out [n][rows]}. Rows are split over the pool and each
     * weight block is decoded once for all {@code n} activation rows. The data segment must be readable from the
     * pool's threads (a global or shared arena, as a mapped GGUF file is).
     */
    default void matmul(float[] x, int n, float[] out, ComputePool pool) {
        MatMul.run(this, x, n, out, pool);
    }
}
