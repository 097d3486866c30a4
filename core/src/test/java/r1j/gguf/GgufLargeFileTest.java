package r1j.gguf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import r1j.tensor.GgmlType;

/**
 * Files beyond 4 GiB and vocabulary-sized metadata: opening reads the header only, so it must be fast however large
 * the data section is. The large file is sparse (its data are a hole), so it costs no disk space or write time.
 */
class GgufLargeFileTest {
    private static final long GIB = 1L << 30;

    @TempDir
    Path dir;

    @Test
    void open_sparse5GibFile_isFastAndTensorBeyond4GibReadsZeros() throws IOException {
        Path file = dir.resolve("huge.gguf");
        new GgufWriter()
                .putString("general.architecture", "test")
                .addZeroTensor("first", GgmlType.F16, new long[]{65536, 32768})   // 4 GiB
                .addZeroTensor("mid", GgmlType.Q8_0, new long[]{4096, 32768})     // 136 MiB
                .addZeroTensor("last", GgmlType.F32, new long[]{1024, 1024})      // 4 MiB, beyond 4 GiB
                .write(file);
        assertThat(Files.size(file)).isGreaterThan(4 * GIB);
        assertThat(allocatedBytes(file)).as("file system keeps the data region a hole (sparse file)").isLessThan(16L << 20);

        long start = System.nanoTime();
        try (GgufFile gguf = GgufFile.open(file)) {
            // Timing is reported, not asserted (speed is for benchmarks; `r1j inspect --stats` measures it).
            System.out.printf("opened a %d-byte GGUF in %.1f ms%n", Files.size(file), (System.nanoTime() - start) / 1e6);
            GgufTensorInfo last = gguf.tensor("last");
            assertThat(gguf.dataOffset() + last.offset()).isGreaterThan(4 * GIB);
            MemorySegment data = gguf.data(last);
            assertThat(data.byteSize()).isEqualTo(4L << 20);
            long or = 0;
            for (long i = 0; i < data.byteSize(); i += 8) or |= data.get(ValueLayout.JAVA_LONG_UNALIGNED, i);
            assertThat(or).isZero();
            assertThat(gguf.dataOffset() + last.offset() + last.byteSize()).isEqualTo(gguf.fileSize());
        }
    }

    @Test
    void open_150kTokenVocabulary_readsEveryString() throws IOException {
        int n = 150_000;
        String[] tokens = new String[n];
        float[] scores = new float[n];
        int[] types = new int[n];
        String[] merges = new String[n];
        for (int i = 0; i < n; i++) {
            tokens[i] = "tok" + Integer.toString(i, 36) + (i % 7 == 0 ? "ĠéΩ" : "");
            scores[i] = -i;
            types[i] = 1 + i % 3;
            merges[i] = "Ġ" + Integer.toString(i, 36) + " x" + i;
        }
        Path file = dir.resolve("vocab.gguf");
        new GgufWriter().putStringArray("tokenizer.ggml.tokens", tokens).putFloat32Array("tokenizer.ggml.scores", scores)
                .putInt32Array("tokenizer.ggml.token_type", types).putStringArray("tokenizer.ggml.merges", merges)
                .write(file);
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            long start = System.nanoTime();
            try (GgufFile gguf = GgufFile.open(file)) {
                best = Math.min(best, System.nanoTime() - start);
                assertThat(gguf.metadata().getStringArray("tokenizer.ggml.tokens")).isEqualTo(tokens);
                assertThat(gguf.metadata().getStringArray("tokenizer.ggml.merges")[n - 1]).isEqualTo(merges[n - 1]);
                assertThat(gguf.metadata().getIntArray("tokenizer.ggml.token_type")).isEqualTo(types);
            }
        }
        // About 50 ms when warm on an idle machine; printed, not asserted (speed goals are benchmarks, not tests).
        System.out.printf("150k-token vocabulary opened in %.1f ms (best of 3)%n", best / 1e6);
    }

    /** Bytes the file occupies on disk, from {@code stat} (the JDK has no portable way to ask). */
    private static long allocatedBytes(Path file) throws IOException {
        Process p = new ProcessBuilder("stat", "-c", "%b %B", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        try {
            assertThat(p.waitFor()).as("stat exit code, output: %s", out).isZero();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        String[] parts = out.split(" ");
        return Long.parseLong(parts[0]) * Long.parseLong(parts[1]);
    }
}
