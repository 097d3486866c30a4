package r1j.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import r1j.tensor.GgmlType;

/** Write → read round trips: every value type, nested arrays, tensors of every type, alignment, atomic writes. */
class GgufWriterRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void roundTrip_scalarsOfEveryType_keepValueAndStoredType() throws IOException {
        Path file = dir.resolve("scalars.gguf");
        new GgufWriter()
                .putUint8("u8", 255).putInt8("i8", -128)
                .putUint16("u16", 65535).putInt16("i16", -32768)
                .putUint32("u32", 4294967295L).putInt32("i32", Integer.MIN_VALUE)
                .putUint64("u64", -1L).putInt64("i64", Long.MIN_VALUE)
                .putFloat32("f32", 1.5e-6f).putFloat64("f64", Math.PI)
                .putBool("yes", true).putBool("no", false)
                .putString("s", "héllo, 世界 \uD83D\uDE00").putString("empty", "")
                .write(file);
        try (GgufFile gguf = GgufFile.open(file)) {
            GgufMetadata md = gguf.metadata();
            assertThat(md.keys()).containsExactly("u8", "i8", "u16", "i16", "u32", "i32", "u64", "i64", "f32", "f64",
                    "yes", "no", "s", "empty");
            Map<String, Object> expected = new LinkedHashMap<>();
            expected.put("u8", (short) 255);
            expected.put("i8", (byte) -128);
            expected.put("u16", 65535);
            expected.put("i16", (short) -32768);
            expected.put("u32", 4294967295L);
            expected.put("i32", Integer.MIN_VALUE);
            expected.put("u64", -1L);
            expected.put("i64", Long.MIN_VALUE);
            expected.put("f32", 1.5e-6f);
            expected.put("f64", Math.PI);
            expected.put("yes", true);
            expected.put("no", false);
            expected.put("s", "héllo, 世界 \uD83D\uDE00");
            expected.put("empty", "");
            expected.forEach((k, v) -> assertThat(md.get(k)).as(k).isEqualTo(v));
            assertThat(md.typeOf("u8")).isEqualTo(GgufValueType.UINT8);
            assertThat(md.typeOf("u64")).isEqualTo(GgufValueType.UINT64);
            assertThat(md.typeOf("f64")).isEqualTo(GgufValueType.FLOAT64);
            assertThat(md.getInt("u16")).isEqualTo(65535);
            assertThat(md.getLong("u32")).isEqualTo(4294967295L);
            assertThat(md.getFloat("f64")).isEqualTo((float) Math.PI);
            assertThat(md.getBoolean("yes", false)).isTrue();
            assertThat(md.describe("u64")).isEqualTo("UINT64 = 18446744073709551615");
        }
    }

    @ParameterizedTest
    @EnumSource(GgufValueType.class)
    void roundTrip_seededRandomArrayOfEveryElementType(GgufValueType type) throws IOException {
        Random rnd = new Random(42 + type.id());
        GgufArray array = randomArray(rnd, type, 1 + rnd.nextInt(300), 0);
        GgufArray empty = GgufArray.of(type, java.lang.reflect.Array.newInstance(
                GgufArray.backingClass(type).getComponentType(), 0));
        Path file = dir.resolve("array.gguf");
        new GgufWriter().putArray("a", array).putArray("empty", empty).putUint32("after", 7).write(file);
        try (GgufFile gguf = GgufFile.open(file)) {
            assertThat(gguf.metadata().get("a")).isEqualTo(array);
            assertThat(gguf.metadata().get("empty")).isEqualTo(empty);
            assertThat(gguf.metadata().getInt("after")).isEqualTo(7);
            assertThat(gguf.metadata().typeOf("a")).isEqualTo(GgufValueType.ARRAY);
        }
    }

    @Test
    void roundTrip_nestedArrays_keepEachLevelsElementType() throws IOException {
        GgufArray nested = GgufArray.ofArrays(
                GgufArray.ofStrings("a", "b"),
                GgufArray.ofArrays(GgufArray.ofInt32(1, 2, 3), GgufArray.of(GgufValueType.UINT8, new byte[]{(byte) 200})),
                GgufArray.ofFloat32());
        Path file = dir.resolve("nested.gguf");
        new GgufWriter().putArray("n", nested).write(file);
        try (GgufFile gguf = GgufFile.open(file)) {
            GgufArray read = gguf.metadata().getArray("n");
            assertThat(read).isEqualTo(nested);
            GgufArray inner = (GgufArray) ((GgufArray) read.get(1)).get(1);
            assertThat(inner.elementType()).isEqualTo(GgufValueType.UINT8);
            assertThat(inner.get(0)).isEqualTo((short) 200);
            assertThat(inner.toIntArray()).containsExactly(200);
        }
    }

    @ParameterizedTest
    @EnumSource(GgmlType.class)
    void roundTrip_tensorOfEveryType_keepsDimsTypeAndBytes(GgmlType type) throws IOException {
        Random rnd = new Random(7 + type.id());
        long[] dims = {type.blockSize() * 3L, 2, 3};
        byte[] a = randomBytes(rnd, type.bytesFor(dims[0] * dims[1] * dims[2]));
        byte[] b = randomBytes(rnd, type.bytesFor(type.blockSize()));
        Path file = dir.resolve("tensor.gguf");
        new GgufWriter().putString("general.architecture", "test")
                .addTensor("a", type, dims, a)
                .addTensor("b", type, new long[]{type.blockSize()}, b)
                .write(file);
        try (GgufFile gguf = GgufFile.open(file)) {
            assertThat(gguf.tensors()).extracting(GgufTensorInfo::name).containsExactly("a", "b");
            GgufTensorInfo ta = gguf.tensor("a");
            assertThat(ta.type()).isEqualTo(type);
            assertThat(ta.dims()).containsExactly(dims);
            assertThat(ta.elements()).isEqualTo(dims[0] * 6);
            assertThat(ta.cols()).isEqualTo((int) dims[0]);
            assertThat(ta.rows()).isEqualTo(6);
            assertThat(gguf.data(ta).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)).isEqualTo(a);
            assertThat(gguf.data("b").toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)).isEqualTo(b);
            for (GgufTensorInfo t : gguf.tensors()) {
                assertThat((gguf.dataOffset() + t.offset()) % 32).isZero();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 8, 64, 4096})
    void roundTrip_customAlignment_alignsEveryTensor(int alignment) throws IOException {
        Random rnd = new Random(alignment);
        Path file = dir.resolve("aligned.gguf");
        GgufWriter w = new GgufWriter().alignment(alignment);
        for (int i = 0; i < 5; i++) w.addTensor("t" + i, GgmlType.F32, new long[]{1 + i * 3}, randomBytes(rnd, 4L * (1 + i * 3)));
        w.write(file);
        try (GgufFile gguf = GgufFile.open(file)) {
            assertThat(gguf.alignment()).isEqualTo(alignment);
            for (GgufTensorInfo t : gguf.tensors()) assertThat((gguf.dataOffset() + t.offset()) % alignment).isZero();
        }
    }

    @Test
    void rewrite_goldenModel_isByteIdenticalToLlamaCppOutput() throws IOException {
        Path golden = GgufGoldenModelTest.golden("qwen2-tiny/Q4_K_M.gguf");
        Path copy = dir.resolve("copy.gguf");
        try (GgufFile in = GgufFile.open(golden)) {
            GgufWriter w = new GgufWriter().putAll(in.metadata());
            for (GgufTensorInfo t : in.tensors()) w.addTensor(t.name(), t.type(), t.dims(), in.data(t));
            w.write(copy);
        }
        assertThat(Files.readAllBytes(copy)).isEqualTo(Files.readAllBytes(golden));
    }

    @Test
    void open_version2File_readsLikeVersion3() throws IOException {
        Path file = dir.resolve("v2.gguf");
        new GgufWriter().putString("k", "v").addTensor("t", GgmlType.F32, new long[]{4}, new byte[16]).write(file);
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 2);
        Files.write(file, bytes);
        try (GgufFile gguf = GgufFile.open(file)) {
            assertThat(gguf.version()).isEqualTo(2);
            assertThat(gguf.metadata().getString("k")).isEqualTo("v");
            assertThat(gguf.tensor("t").byteSize()).isEqualTo(16);
        }
    }

    @Test
    void write_failingMidway_leavesExistingFileAndNoTempFile() throws IOException {
        Path file = dir.resolve("target.gguf");
        Files.writeString(file, "old contents");
        Arena arena = Arena.ofShared();
        MemorySegment data = arena.allocate(16);
        GgufWriter w = new GgufWriter().addTensor("t", GgmlType.F32, new long[]{4}, data);
        arena.close();
        assertThatThrownBy(() -> w.write(file)).isInstanceOf(IllegalStateException.class);
        assertThat(Files.readString(file)).isEqualTo("old contents");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void write_suppliedTensors_areMadeAtWriteTimeInFileOrder() throws IOException {
        java.util.List<String> made = new java.util.ArrayList<>();
        Path file = dir.resolve("lazy.gguf");
        GgufWriter w = new GgufWriter()
                .addTensor("a", GgmlType.F32, new long[]{4}, () -> {
                    made.add("a");
                    return MemorySegment.ofArray(new float[] {1, 2, 3, 4});
                })
                .addTensor("b", GgmlType.F32, new long[]{2}, new byte[8])
                .addTensor("c", GgmlType.F32, new long[]{2}, () -> {
                    made.add("c");
                    return MemorySegment.ofArray(new float[] {5, 6});
                });
        assertThat(made).isEmpty();
        w.write(file);
        assertThat(made).containsExactly("a", "c");
        try (GgufFile gguf = GgufFile.open(file)) {
            assertThat(gguf.data("a").toArray(java.lang.foreign.ValueLayout.JAVA_FLOAT))
                    .containsExactly(1, 2, 3, 4);
            assertThat(gguf.data("c").toArray(java.lang.foreign.ValueLayout.JAVA_FLOAT))
                    .containsExactly(5, 6);
        }
    }

    @Test
    void write_suppliedTensorOfTheWrongSize_failsNamingItAndLeavesNoFile() throws IOException {
        Path file = dir.resolve("short.gguf");
        GgufWriter w = new GgufWriter().addTensor("t", GgmlType.F32, new long[]{4}, () -> MemorySegment.ofArray(new byte[12]));
        assertThatThrownBy(() -> w.write(file)).hasMessageContaining("tensor 't' (F32 [4]) needs 16 bytes of data, its supplier made 12");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void write_givesTheFileTheUsualPermissionsNotTempFileOnes() throws IOException {
        Path plain = Files.createFile(dir.resolve("plain"));
        Path file = dir.resolve("perm.gguf");
        new GgufWriter().putString("k", "v").write(file);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(Files.getPosixFilePermissions(plain));
    }

    @Test
    void writer_rejectsInconsistentTensorsAndValues() {
        GgufWriter w = new GgufWriter().addTensor("t", GgmlType.F32, new long[]{4}, new byte[16]);
        assertThatThrownBy(() -> w.addTensor("t", GgmlType.F32, new long[]{4}, new byte[16]))
                .hasMessageContaining("duplicate tensor name 't'");
        assertThatThrownBy(() -> w.addTensor("q", GgmlType.Q8_0, new long[]{32}, new byte[33]))
                .hasMessageContaining("tensor 'q' (Q8_0 [32]) needs 34 bytes of data, got 33");
        assertThatThrownBy(() -> w.addTensor("q", GgmlType.Q4_0, new long[]{16, 2}, new byte[18]))
                .hasMessageContaining("ne[0] = 16, not a multiple of the 32-element block");
        assertThatThrownBy(() -> w.addTensor("z", GgmlType.F32, new long[]{4, 0}, new byte[0]))
                .hasMessageContaining("dimensions must be positive");
        assertThatThrownBy(() -> w.putUint8("k", 256)).hasMessageContaining("256 does not fit in UINT8");
        assertThatThrownBy(() -> w.put("k", GgufValueType.STRING, 3)).hasMessageContaining("a STRING needs a String");
        assertThatThrownBy(() -> w.alignment(24)).hasMessageContaining("power of two");
    }

    static GgufArray randomArray(Random rnd, GgufValueType type, int n, int depth) {
        Object values = switch (type) {
            case UINT8, INT8 -> randomBytes(rnd, n);
            case UINT16, INT16 -> { short[] a = new short[n]; for (int i = 0; i < n; i++) a[i] = (short) rnd.nextInt(); yield a; }
            case UINT32, INT32 -> rnd.ints(n).toArray();
            case UINT64, INT64 -> rnd.longs(n).toArray();
            case FLOAT32 -> { float[] a = new float[n]; for (int i = 0; i < n; i++) a[i] = (float) rnd.nextGaussian(); yield a; }
            case FLOAT64 -> rnd.doubles(n).toArray();
            case BOOL -> { boolean[] a = new boolean[n]; for (int i = 0; i < n; i++) a[i] = rnd.nextBoolean(); yield a; }
            case STRING -> {
                String[] a = new String[n];
                for (int i = 0; i < n; i++) {
                    StringBuilder sb = new StringBuilder();
                    int len = rnd.nextInt(12);
                    for (int j = 0; j < len; j++) sb.appendCodePoint(rnd.nextBoolean() ? 'a' + rnd.nextInt(26) : 0x4e00 + rnd.nextInt(500));
                    a[i] = sb.toString();
                }
                yield a;
            }
            case ARRAY -> {
                GgufArray[] a = new GgufArray[Math.min(n, 5)];
                GgufValueType[] all = GgufValueType.values();
                for (int i = 0; i < a.length; i++) {
                    GgufValueType inner = depth < 2 ? all[rnd.nextInt(all.length)] : GgufValueType.INT32;
                    a[i] = randomArray(rnd, inner, rnd.nextInt(6), depth + 1);
                }
                yield a;
            }
        };
        return GgufArray.of(type, values);
    }

    static byte[] randomBytes(Random rnd, long n) {
        byte[] b = new byte[Math.toIntExact(n)];
        rnd.nextBytes(b);
        return b;
    }
}
