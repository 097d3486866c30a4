package r1j.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import r1j.gguf.GgufFile;
import r1j.tensor.Interleaved4Matrix;
import r1j.tensor.Interleaved6Matrix;
import r1j.tensor.RowSource;
import r1j.tensor.WeightMatrix;

/**
 * Repacks a dense model's Q4_0, Q4_K and Q6_K projection matrices at load into {@link Interleaved4Matrix} and
 * {@link Interleaved6Matrix}, whose decode kernels are 3–4× faster than the kernels on the file's layout
 * (BENCHMARKS.md). The bytes are read with a file channel,
 * not through the mapping, so the mapped pages of a repacked tensor never become resident: the process holds one
 * copy of each weight, as with plain mmap. Costs: about 1 s per GB at load; Q4_K's scales take 148 bytes per row
 * and 256 columns instead of 144, and Q6_K's values a byte each (274 bytes instead of 210).
 *
 * <p>On by default; {@code -Dr1j.repack=false} keeps every matrix on the mapped file (and computes every product
 * with F32 activations, the {@code .deq} golden semantics).
 */
final class WeightRepacker implements AutoCloseable {

    /** Whether repacking is on: the {@code r1j.repack} system property, default true. */
    static boolean enabled() {
        return !"false".equalsIgnoreCase(System.getProperty("r1j.repack", "true").strip());
    }

    private final GgufFile file;
    private final FileChannel channel;
    private final Arena arena = Arena.ofAuto();

    WeightRepacker(GgufFile file) {
        this.file = file;
        try {
            this.channel = FileChannel.open(file.path(), StandardOpenOption.READ);
        } catch (IOException e) {
            throw new UncheckedIOException("reading %s to repack its weights".formatted(file.path()), e);
        }
    }

    /**
     * {@code w} repacked when {@link Interleaved4Matrix#canRepack} or {@link Interleaved6Matrix#canRepack} allows
     * it, else {@code w} itself (also null: a missing tensor the binder reports with the others).
     */
    WeightMatrix repack(WeightMatrix w) {
        if (w == null) return null;
        if (Interleaved4Matrix.canRepack(w)) return Interleaved4Matrix.repack(w, fromFile(w), arena);
        if (Interleaved6Matrix.canRepack(w)) return Interleaved6Matrix.repack(w, fromFile(w), arena);
        return w;
    }

    /** {@code w}'s rows read with the file channel. */
    private RowSource fromFile(WeightMatrix w) {
        long start = file.fileOffset(w.data());
        long rowBytes = w.rowBytes();
        return (first, count, dst) -> {
            ByteBuffer buffer = ByteBuffer.wrap(dst, 0, (int) (count * rowBytes));
            long at = start + first * rowBytes;
            try {
                while (buffer.hasRemaining()) {
                    int read = channel.read(buffer, at + buffer.position());
                    if (read < 0) throw new IOException("file ends inside a tensor");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("reading %s to repack its weights".formatted(file.path()), e);
            }
        };
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
