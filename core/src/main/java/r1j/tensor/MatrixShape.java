package r1j.tensor;

import java.lang.foreign.MemorySegment;

/** Checks shared by every {@link WeightMatrix} constructor: positive shape, whole blocks per row, exact byte size. */
final class MatrixShape {

    private MatrixShape() {}

    static void check(GgmlType type, MemorySegment data, int rows, int cols) {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("%s matrix shape [%d][%d] must be positive".formatted(type, rows, cols));
        }
        if (cols % type.blockSize() != 0) {
            throw new IllegalArgumentException("%s matrix with %d columns: a row must be a whole number of %d-element blocks"
                    .formatted(type, cols, type.blockSize()));
        }
        long expected = (long) rows * type.bytesFor(cols);
        if (data.byteSize() != expected) {
            throw new IllegalArgumentException("%s matrix [%d][%d] needs %d bytes but the data holds %d; the tensor's shape or offset is wrong"
                    .formatted(type, rows, cols, expected, data.byteSize()));
        }
    }
}
