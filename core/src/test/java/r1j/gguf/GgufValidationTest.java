package r1j.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import r1j.tensor.GgmlType;

/**
 * Every malformed-file case gets a {@link GgufFormatException} whose message names the file, the field or tensor and
 * the problem. Bad files are valid writer output with bytes patched at known header positions.
 */
class GgufValidationTest {
    @TempDir
    Path dir;
    Path file;
    byte[] base;
    /** Start of tensor info "wa" (Q8_0 [64, 2]) and "wb" (F32 [8]): the name's u64 length. */
    int wa;
    int wb;

    @BeforeEach
    void writeValidFile() throws IOException {
        file = dir.resolve("model.gguf");
        new GgufWriter()
                .putString("general.architecture", "test")
                .putInt32Array("arr", 1, 2, 3)
                .putUint32("k1", 1)
                .putUint32("k2", 2)
                .addTensor("wa", GgmlType.Q8_0, new long[]{64, 2}, new byte[4 * 34])
                .addTensor("wb", GgmlType.F32, new long[]{8}, new byte[32])
                .write(file);
        base = Files.readAllBytes(file);
        wa = indexOf(base, nameBytes("wa"));
        wb = indexOf(base, nameBytes("wb"));
        try (GgufFile gguf = GgufFile.open(file)) {
            assertThat(gguf.tensors()).hasSize(2);
        }
    }

    @Test
    void open_emptyFile_saysEmpty() throws IOException {
        Files.write(file, new byte[0]);
        assertOpenFails().hasMessage("'%s' is not a GGUF file: it is empty", file);
    }

    @Test
    void open_badMagic_showsTheBytesFound() throws IOException {
        write(b -> b[0] = 'X');
        assertOpenFails().hasMessage("'%s' is not a GGUF file: it starts with bytes 58 47 55 46, expected \"GGUF\" (47 47 55 46)", file);
    }

    @Test
    void open_version1_isRejectedWithSupportedVersions() throws IOException {
        write(b -> le(b).putInt(4, 1));
        assertOpenFails().hasMessage("'%s': unsupported GGUF version 1; r1j reads versions 2 and 3", file);
    }

    @Test
    void open_futureVersion_isRejected() throws IOException {
        write(b -> le(b).putInt(4, 4));
        assertOpenFails().hasMessage("'%s': unsupported GGUF version 4; r1j reads versions 2 and 3", file);
    }

    @Test
    void open_bigEndianFile_saysSo() throws IOException {
        write(b -> ByteBuffer.wrap(b).order(ByteOrder.BIG_ENDIAN).putInt(4, 3));
        assertOpenFails().hasMessage("'%s' is a big-endian GGUF file (version 3 stored byte-swapped); r1j reads little-endian files only", file);
    }

    @Test
    void open_headerCutInsideAnArray_namesTheKeyAndCount() throws IOException {
        int values = indexOf(base, nameBytes("arr")) + 8 + 3 + 4 + 4 + 8;
        Files.write(file, Arrays.copyOf(base, values + 5));
        assertOpenFails().hasMessage("'%s': metadata key 'arr': array count 3 (INT32 elements) at byte %d is more than the 5 bytes left "
                + "in the file could hold; the file is truncated or corrupt", file, values - 8);
    }

    @Test
    void open_headerCutInsideATensorInfo_namesTheTensorAndByteRange() throws IOException {
        Files.write(file, Arrays.copyOf(base, wb + 30));
        assertOpenFails().hasMessage("truncated GGUF '%s': reading tensor 'wb' needs bytes [%d, %d) but the file has %d bytes",
                file, wb + 26, wb + 34, wb + 30);
    }

    @Test
    void open_fileCutAtEveryHeaderByte_alwaysFailsWithFormatException() throws IOException {
        // Every byte of the header, then a few cuts in the data (each failed open closes a shared arena: not free).
        for (int cut = 1; cut < base.length; cut += cut < wb + 40 ? 1 : 37) {
            Files.write(file, Arrays.copyOf(base, cut));
            try (GgufFile ignored = GgufFile.open(file)) {
                fail("file cut at byte %d of %d opened", cut, base.length);
            } catch (GgufFormatException e) {
                assertThat(e.getMessage()).as("cut at %d", cut).contains(file.toString());
            }
        }
    }

    @Test
    void open_truncatedData_namesTheTensorAndItsByteRange() throws IOException {
        Files.write(file, Arrays.copyOf(base, base.length - 10));
        long end = base.length - 10;
        assertOpenFails().hasMessageStartingWith("'%s': tensor 'wb' needs bytes [".formatted(file))
                .hasMessageEndingWith("but the file ends at %d (truncated data?)".formatted(end));
    }

    @Test
    void open_tensorBeyondEndOfFile_isOutOfBounds() throws IOException {
        write(b -> le(b).putLong(wb + 14, 1024));
        assertOpenFails().hasMessageContaining("tensor 'wb' needs bytes [").hasMessageContaining("but the file ends at " + base.length);
    }

    @Test
    void open_unknownTensorType_namesIdAndTensor() throws IOException {
        write(b -> le(b).putInt(wa + 30, 99));
        assertOpenFails().hasMessage("'%s': tensor 'wa' has unknown ggml type id 99", file);
    }

    @Test
    void open_duplicateTensorName_isRejected() throws IOException {
        write(b -> b[wb + 9] = 'a');
        assertOpenFails().hasMessage("'%s': duplicate tensor name 'wa' (tensor infos 0 and 1)", file);
    }

    @Test
    void open_duplicateMetadataKey_isRejected() throws IOException {
        int k2 = indexOf(base, nameBytes("k2"));
        write(b -> b[k2 + 9] = '1');
        assertOpenFails().hasMessage("'%s': duplicate metadata key 'k1' (entry 3)", file);
    }

    @Test
    void open_rowNotMultipleOfBlock_isRejected() throws IOException {
        write(b -> le(b).putLong(wa + 14, 48));
        assertOpenFails().hasMessage(
                "'%s': tensor 'wa' of type Q8_0 has dims [48, 2]: ne[0] = 48 is not a multiple of the 32-element block", file);
    }

    @Test
    void open_zeroDimension_isRejected() throws IOException {
        write(b -> le(b).putLong(wa + 22, 0));
        assertOpenFails().hasMessage("'%s': tensor 'wa' has dimension 1 = 0; dimensions must be positive", file);
    }

    @Test
    void open_negativeDimension_isRejectedAsUnsigned() throws IOException {
        write(b -> le(b).putLong(wa + 22, -1));
        assertOpenFails().hasMessage("'%s': tensor 'wa' has dimension 1 = 18446744073709551615; dimensions must be positive", file);
    }

    @Test
    void open_tooManyDimensions_isRejected() throws IOException {
        write(b -> le(b).putInt(wa + 10, 5));
        assertOpenFails().hasMessage("'%s': tensor 'wa' has n_dims 5; GGUF allows 1 to 4", file);
    }

    @Test
    void open_noDimensions_isRejected() throws IOException {
        write(b -> le(b).putInt(wa + 10, 0));
        assertOpenFails().hasMessage("'%s': tensor 'wa' has n_dims 0; GGUF allows 1 to 4", file);
    }

    @Test
    void open_elementCountOverflow_isRejected() throws IOException {
        write(b -> le(b).putLong(wa + 14, 1L << 32).putLong(wa + 22, 1L << 32));
        assertOpenFails().hasMessage("'%s': tensor 'wa' has dims [4294967296, 4294967296] whose element count overflows", file);
    }

    @Test
    void open_tensorLargerThanItsSlot_overlapsTheNext() throws IOException {
        write(b -> le(b).putLong(wa + 22, 3));
        assertOpenFails().hasMessage(
                "'%s': tensor 'wa' (Q8_0 [64, 3], 204 bytes at data offset 0) overlaps tensor 'wb' at data offset 160", file);
    }

    @Test
    void open_unalignedOffset_isRejected() throws IOException {
        write(b -> le(b).putLong(wb + 26, 8));
        assertOpenFails().hasMessage("'%s': tensor 'wb' has offset 8, which is not a multiple of the alignment 32", file);
    }

    @Test
    void open_offsetBeyondTheFile_isRejected() throws IOException {
        write(b -> le(b).putLong(wb + 26, -32));
        assertOpenFails().hasMessage("'%s': tensor 'wb' has offset 18446744073709551584, beyond the end of the %d-byte file", file, base.length);
    }

    @Test
    void open_absurdTensorCount_isRejectedBeforeAllocating() throws IOException {
        write(b -> le(b).putLong(8, 1_000_000_000_000L));
        assertOpenFails().hasMessageStartingWith("'%s': tensor_count 1000000000000 is more than the %d bytes after the metadata could hold"
                .formatted(file, base.length - wa));
    }

    @Test
    void open_absurdKvCount_isRejectedBeforeAllocating() throws IOException {
        write(b -> le(b).putLong(16, -1L));
        assertOpenFails().hasMessageStartingWith("'%s': kv_count 18446744073709551615 is more than".formatted(file));
    }

    @Test
    void open_absurdStringLength_isRejected() throws IOException {
        write(b -> le(b).putLong(24, 1L << 40));
        assertOpenFails().hasMessage("'%s': the key of metadata entry 0: string length 1099511627776 at byte 24 is more than the %d bytes left in the file; the file is truncated or corrupt",
                file, base.length - 32);
    }

    @Test
    void open_absurdArrayCount_isRejected() throws IOException {
        int arr = indexOf(base, nameBytes("arr"));
        int countAt = arr + 8 + 3 + 4 + 4;
        write(b -> le(b).putLong(countAt, 1L << 40));
        assertOpenFails().hasMessage("'%s': metadata key 'arr': array count 1099511627776 (INT32 elements) at byte %d is more than the %d bytes left in the file could hold; the file is truncated or corrupt",
                file, countAt, base.length - countAt - 8);
    }

    @Test
    void open_implausibleCountsInALargeFile_areRejectedBeforeAllocating() throws IOException {
        // The counts fit in the file (its data are a 512 MiB hole) but no real header has that many entries.
        new GgufWriter().putArray("bytes", GgufArray.of(GgufValueType.UINT8, new byte[]{1, 2}))
                .addZeroTensor("hole", GgmlType.F32, new long[]{1 << 27})
                .write(file);
        byte[] bytes = readHeader(file, 4096);
        int countAt = indexOf(bytes, nameBytes("bytes")) + 8 + 5 + 4 + 4;
        patch(file, countAt, (1L << 26) + 1);
        assertOpenFails().hasMessage("'%s': metadata key 'bytes': array count 67108865 at byte %d is implausibly large; "
                + "r1j reads metadata arrays of up to 67108864 elements", file, countAt);
        patch(file, countAt, 2);
        patch(file, 16, (1L << 24) + 1);
        assertOpenFails().hasMessage("'%s': kv_count 16777217 is implausibly large; r1j reads files of up to 16777216 entries", file);
        patch(file, 16, 1);
        patch(file, 24, (1L << 26) + 1);
        assertOpenFails().hasMessage("'%s': the key of metadata entry 0: string length 67108865 at byte 24 is implausibly long; "
                + "r1j reads strings of up to 67108864 bytes", file);
    }

    @Test
    void open_unknownValueType_namesTheKey() throws IOException {
        write(b -> le(b).putInt(24 + 8 + 20, 13));
        assertOpenFails().hasMessage("'%s': metadata key 'general.architecture' has unknown value type id 13 at byte 52", file);
    }

    @Test
    void open_alignmentNotPowerOfTwo_isRejected() throws IOException {
        new GgufWriter().alignment(32).addTensor("t", GgmlType.F32, new long[]{8}, new byte[32]).write(file);
        byte[] bytes = Files.readAllBytes(file);
        int at = indexOf(bytes, nameBytes("general.alignment")) + 8 + 17 + 4;
        le(bytes).putInt(at, 24);
        Files.write(file, bytes);
        assertOpenFails().hasMessage("'%s': general.alignment is 24; it must be a power of two", file);
    }

    @Test
    void open_unsupportedButKnownType_opensAndListsIt() throws IOException {
        new GgufWriter().addTensor("iq", GgmlType.IQ2_XXS, new long[]{256, 2}, new byte[2 * 66]).write(file);
        try (GgufFile gguf = GgufFile.open(file)) {
            assertThat(gguf.tensor("iq").type()).isEqualTo(GgmlType.IQ2_XXS);
            assertThat(gguf.data("iq").byteSize()).isEqualTo(132);
        }
    }

    @Test
    void open_seededRandomHeaderCorruption_failsOnlyWithFormatException() throws IOException {
        Random rnd = new Random(2026);
        int headerEnd = wb + 34;
        for (int i = 0; i < 300; i++) {
            byte[] b = base.clone();
            int flips = 1 + rnd.nextInt(3);
            for (int f = 0; f < flips; f++) b[4 + rnd.nextInt(headerEnd - 4)] = (byte) rnd.nextInt();
            Files.write(file, b);
            try (GgufFile gguf = GgufFile.open(file)) {
                for (GgufTensorInfo t : gguf.tensors()) assertThat(gguf.data(t).byteSize()).isEqualTo(t.byteSize());
            } catch (GgufFormatException e) {
                assertThat(e.getMessage()).contains(file.toString());
            }
        }
    }

    @Test
    void data_ofForeignTensorInfo_isRejected() throws IOException {
        try (GgufFile gguf = GgufFile.open(file)) {
            GgufTensorInfo foreign = new GgufTensorInfo("wa", new long[]{64, 4}, GgmlType.Q8_0, 0, 272);
            assertThatThrownBy(() -> gguf.data(foreign)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("tensor 'wa' is not a tensor of");
            assertThatThrownBy(() -> gguf.data("nope")).hasMessageContaining("tensor 'nope' is not in");
        }
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertOpenFails() {
        return assertThatThrownBy(() -> {
            try (GgufFile ignored = GgufFile.open(file)) {
                // opening must fail
            }
        }).isInstanceOf(GgufFormatException.class);
    }

    private static byte[] readHeader(Path file, int n) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(file)) {
            ByteBuffer buf = ByteBuffer.allocate(n);
            ch.read(buf, 0);
            return buf.array();
        }
    }

    /** Overwrites 8 bytes at {@code at} in place (the file may be sparse and large). */
    private static void patch(Path file, int at, long value) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value), at);
        }
    }

    private void write(Consumer<byte[]> patch) throws IOException {
        byte[] b = base.clone();
        patch.accept(b);
        Files.write(file, b);
    }

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A GGUF string as stored: u64 length then the UTF-8 bytes. */
    static byte[] nameBytes(String name) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + utf8.length).order(ByteOrder.LITTLE_ENDIAN).putLong(utf8.length).put(utf8).array();
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        throw new AssertionError("pattern not found: " + Arrays.toString(needle));
    }
}
