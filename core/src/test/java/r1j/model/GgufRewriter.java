package r1j.model;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Predicate;
import r1j.gguf.GgufFile;
import r1j.gguf.GgufTensorInfo;
import r1j.gguf.GgufWriter;
import r1j.tensor.GgmlType;
import r1j.tensor.WeightMatrix;

/**
 * Writes variants of a golden GGUF file for tests: the same metadata (editable), a chosen subset of its tensors,
 * optionally every tensor dequantized to F32.
 */
final class GgufRewriter {

    private GgufRewriter() {}

    /**
     * @param keep     which tensors to copy
     * @param toF32    whether to store every tensor as F32 (dequantized) instead of its own type
     * @param metadata edits on the writer after the source metadata was copied (add tensors or keys, remove keys)
     */
    static Path rewrite(Path source, Path target, Predicate<String> keep, boolean toF32, Consumer<GgufWriter> metadata)
            throws IOException {
        try (GgufFile in = GgufFile.open(source)) {
            GgufWriter out = new GgufWriter().putAll(in.metadata());
            for (GgufTensorInfo t : in.tensors()) {
                if (!keep.test(t.name())) continue;
                if (toF32) out.addTensor(t.name(), GgmlType.F32, t.dims(), dequantized(in, t));
                else out.addTensor(t.name(), t.type(), t.dims(), in.data(t));
            }
            metadata.accept(out);
            out.write(target);
        }
        return target;
    }

    /** Every row of tensor {@code t} dequantized, as little-endian F32 bytes. */
    static byte[] dequantized(GgufFile file, GgufTensorInfo t) {
        WeightMatrix m = file.matrix(t);
        float[] row = new float[m.cols()];
        byte[] bytes = new byte[Math.toIntExact((long) m.rows() * m.cols() * Float.BYTES)];
        MemorySegment seg = MemorySegment.ofArray(bytes);
        for (int r = 0; r < m.rows(); r++) {
            m.dequantizeRow(r, row, 0);
            MemorySegment.copy(row, 0, seg, java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN),
                    (long) r * m.cols() * Float.BYTES, m.cols());
        }
        return bytes;
    }

    /** Little-endian F32 bytes of {@code values}. */
    static byte[] f32Bytes(float... values) {
        byte[] bytes = new byte[values.length * Float.BYTES];
        MemorySegment.copy(values, 0, MemorySegment.ofArray(bytes),
                java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, values.length);
        return bytes;
    }
}
