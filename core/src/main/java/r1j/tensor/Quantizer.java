package r1j.tensor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Converts F32 data to ggml's on-disk formats and back, for writing GGUF files (training export, tests). Output
 * bytes are exactly what a {@link WeightMatrix} of the same type (and llama.cpp) reads.
 *
 * <p>Quantizable: F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1 (ggml's reference rounding) and Q2_K, Q3_K, Q4_K,
 * Q5_K, Q6_K (scale search in the manner of ggml's reference K-quantizers, without an importance matrix).
 */
public final class Quantizer {

    private Quantizer() {}

    /**
     * {@code src [rows][cols]} in {@code type}'s block format, {@code rows * type.bytesFor(cols)} bytes.
     *
     * @throws UnsupportedTensorTypeException if {@code type} cannot be produced
     * @throws IllegalArgumentException if {@code cols} is not a whole number of blocks or {@code src} is too short
     */
    public static byte[] quantize(GgmlType type, float[] src, int rows, int cols) {
        if (rows < 0 || cols <= 0 || cols % type.blockSize() != 0) {
            throw new IllegalArgumentException("cannot quantize [%d][%d] to %s: a row must be a whole number of %d-element blocks"
                    .formatted(rows, cols, type, type.blockSize()));
        }
        long n = (long) rows * cols;
        if (src.length < n) throw new IllegalArgumentException("source holds %d floats, need %d".formatted(src.length, n));
        long bytes = rows * type.bytesFor(cols);
        if (bytes > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("%d bytes do not fit one array".formatted(bytes));
        ByteBuffer out = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        int blocks = (int) (n / type.blockSize());
        int size = type.bytesPerBlock();
        for (int b = 0; b < blocks; b++) {
            int off = b * type.blockSize(), at = b * size;
            switch (type) {
                case F32 -> out.putFloat(at, src[off]);
                case F16 -> out.putShort(at, Float.floatToFloat16(src[off]));
                case BF16 -> out.putShort(at, toBf16(src[off]));
                case Q8_0 -> BlockQuantizer.q8_0(src, off, out, at);
                case Q4_0 -> BlockQuantizer.q4_0(src, off, out, at);
                case Q4_1 -> BlockQuantizer.q4_1(src, off, out, at);
                case Q5_0 -> BlockQuantizer.q5_0(src, off, out, at);
                case Q5_1 -> BlockQuantizer.q5_1(src, off, out, at);
                case Q2_K -> KQuantizer.q2_K(src, off, out, at);
                case Q3_K -> KQuantizer.q3_K(src, off, out, at);
                case Q4_K -> KQuantizer.q4_K(src, off, out, at);
                case Q5_K -> KQuantizer.q5_K(src, off, out, at);
                case Q6_K -> KQuantizer.q6_K(src, off, out, at);
                case Q8_1, Q8_K, IQ2_XXS, IQ2_XS, IQ3_XXS, IQ1_S, IQ4_NL, IQ3_S, IQ2_S, IQ4_XS, I8, I16, I32, I64, F64,
                     IQ1_M, TQ1_0, TQ2_0 -> throw new UnsupportedTensorTypeException(type);
            }
        }
        return out.array();
    }

    /** The first {@code n} values of {@code data} (in {@code type}'s format) as floats. */
    public static float[] dequantize(GgmlType type, byte[] data, int n) {
        return dequantize(type, MemorySegment.ofArray(data).asSlice(0, type.bytesFor(n)), n);
    }

    /**
     * The first {@code n} values of {@code data} (in {@code type}'s format) as floats.
     *
     * @throws UnsupportedTensorTypeException if r1j cannot read {@code type}
     */
    public static float[] dequantize(GgmlType type, MemorySegment data, int n) {
        float[] out = new float[n];
        if (n == 0) return out;
        WeightMatrix.of(type, data.asSlice(0, type.bytesFor(n)), 1, n).dequantizeRow(0, out, 0);
        return out;
    }

    /** Float to bfloat16 with round-to-nearest-even; NaN stays a (quiet) NaN. */
    public static short toBf16(float v) {
        int bits = Float.floatToRawIntBits(v);
        if (Float.isNaN(v)) return (short) ((bits >>> 16) | 0x40);
        bits += 0x7FFF + ((bits >>> 16) & 1);
        return (short) (bits >>> 16);
    }
}
