package r1j.tensor;

import java.lang.foreign.MemorySegment;

/**
 * Where a repack reads a matrix's rows from: {@code count} whole rows from {@code first} into {@code dst}, back to
 * back, as the file stores them. A model load reads them with a file channel, so the mapped pages of a repacked
 * matrix never become resident.
 */
@FunctionalInterface
public interface RowSource {

    void read(int first, int count, byte[] dst);

    /** Rows read through {@code w}'s own segment (a mapped file's pages become resident). */
    static RowSource of(WeightMatrix w) {
        return (first, count, dst) -> MemorySegment.copy(w.data(), first * w.rowBytes(), MemorySegment.ofArray(dst), 0,
                count * w.rowBytes());
    }
}
