package r1j.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * Test data: random but valid tensors of any supported type. Quantized blocks get random bytes everywhere except
 * their F16 scale fields, which get small finite halves (random bytes there could be infinities or NaNs).
 */
final class RandomBlocks {

    private RandomBlocks() {}

    /** Byte offsets of the F16 fields inside one block of {@code type}. */
    static int[] halfFields(GgmlType type) {
        return switch (type) {
            case Q4_0, Q5_0, Q8_0 -> new int[] {0};
            case Q4_1, Q5_1, Q4_K, Q5_K -> new int[] {0, 2};
            case Q2_K -> new int[] {80, 82};
            case Q3_K -> new int[] {108};
            case Q6_K -> new int[] {208};
            default -> new int[0];
        };
    }

    static byte[] bytes(GgmlType type, int rows, int cols, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = rows * cols;
        ByteBuffer buf = ByteBuffer.allocate((int) (rows * type.bytesFor(cols))).order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case F32 -> { for (int i = 0; i < n; i++) buf.putFloat((float) rnd.nextGaussian()); }
            case F16 -> { for (int i = 0; i < n; i++) buf.putShort(Float.floatToFloat16((float) rnd.nextGaussian())); }
            case BF16 -> { for (int i = 0; i < n; i++) buf.putShort((short) (Float.floatToIntBits((float) rnd.nextGaussian()) >>> 16)); }
            default -> {
                byte[] all = buf.array();
                for (int i = 0; i < all.length; i++) all[i] = (byte) rnd.nextInt(256);
                int blocks = n / type.blockSize();
                for (int b = 0; b < blocks; b++) {
                    for (int f : halfFields(type)) {
                        float v = (float) (rnd.nextDouble(0.001, 0.1) * (rnd.nextBoolean() ? 1 : -1));
                        buf.putShort(b * type.bytesPerBlock() + f, Float.floatToFloat16(v));
                    }
                }
            }
        }
        return buf.array();
    }

    /** {@code bytes} copied into fresh native memory starting {@code misalign} bytes past an aligned address. */
    static MemorySegment segment(Arena arena, byte[] bytes, int misalign) {
        MemorySegment whole = arena.allocate(bytes.length + 16L, 64);
        MemorySegment s = whole.asSlice(misalign, bytes.length);
        MemorySegment.copy(bytes, 0, s, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return s;
    }

    static float[] gaussian(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) rnd.nextGaussian();
        return x;
    }

    /**
     * The error budget for comparing two float sums of {@code n} products in different orders: the textbook bound
     * {@code n * 2^-24 * sum|terms|}, doubled since both sides round.
     */
    static double sumTolerance(int n, double sumAbs) {
        return 2.0 * n * 0x1p-24 * sumAbs + 1e-30;
    }
}
