package r1j.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Typed getters: widening, range checks, defaults only for absent keys, and messages naming key, type and file. */
class GgufMetadataTest {
    @TempDir
    Path dir;
    Path file;
    GgufMetadata md;

    @BeforeEach
    void read() throws IOException {
        file = dir.resolve("md.gguf");
        new GgufWriter()
                .putString("name", "tiny")
                .putUint32("ctx", 4_000_000_000L)
                .putInt16("small", -7)
                .putUint64("huge", -1L)
                .putFloat64("eps", 1e-6)
                .putBool("flag", true)
                .putArray("u8s", GgufArray.of(GgufValueType.UINT8, new byte[]{(byte) 255, 0}))
                .putArray("u32s", GgufArray.of(GgufValueType.UINT32, new int[]{-1}))
                .putArray("strs", GgufArray.ofStrings("a", "b"))
                .write(file);
        try (GgufFile gguf = GgufFile.open(file)) {
            md = gguf.metadata();
        }
    }

    @Test
    void getters_widenAndConvertStoredTypes() {
        assertThat(md.getLong("ctx")).isEqualTo(4_000_000_000L);
        assertThat(md.getInt("small")).isEqualTo(-7);
        assertThat(md.getFloat("eps")).isEqualTo(1e-6f);
        assertThat(md.getFloat("small")).isEqualTo(-7f);
        assertThat(md.getFloat("huge")).isEqualTo(1.8446744e19f);
        assertThat(md.getIntArray("u8s")).containsExactly(255, 0);
        assertThat(md.getFloatArray("u8s")).containsExactly(255f, 0f);
        assertThat(md.getArray("u32s").toLongArray()).containsExactly(4294967295L);
        assertThat(md.getStringArray("strs")).containsExactly("a", "b");
        assertThat(md.keys()).containsExactly("name", "ctx", "small", "huge", "eps", "flag", "u8s", "u32s", "strs");
    }

    @Test
    void defaults_applyOnlyToAbsentKeys() {
        assertThat(md.getInt("missing", 3)).isEqualTo(3);
        assertThat(md.getString("missing", null)).isNull();
        assertThat(md.getBoolean("missing", false)).isFalse();
        assertThat(md.getFloat("missing", 0.5f)).isEqualTo(0.5f);
        assertThat(md.has("missing")).isFalse();
        assertThat(md.get("missing")).isNull();
        assertThat(md.typeOf("missing")).isNull();
        assertThatThrownBy(() -> md.getInt("name", 3)).isInstanceOf(GgufMetadataException.class)
                .hasMessage("metadata key 'name' in %s is STRING, expected an integer", file);
    }

    @Test
    void errors_nameKeyStoredTypeAndFile() {
        assertThatThrownBy(() -> md.getString("general.architecture"))
                .hasMessage("metadata key 'general.architecture' is missing in %s", file);
        assertThatThrownBy(() -> md.getInt("ctx"))
                .hasMessage("metadata key 'ctx' in %s is 4000000000, which does not fit in an int", file);
        assertThatThrownBy(() -> md.getLong("huge"))
                .hasMessage("metadata key 'huge' in %s is 18446744073709551615, which does not fit in a signed long", file);
        assertThatThrownBy(() -> md.getString("flag")).hasMessage("metadata key 'flag' in %s is BOOL, expected a string", file);
        assertThatThrownBy(() -> md.getBoolean("name")).hasMessage("metadata key 'name' in %s is STRING, expected a boolean", file);
        assertThatThrownBy(() -> md.getStringArray("u8s"))
                .hasMessage("metadata key 'u8s' in %s is ARRAY[UINT8], expected a string array", file);
        assertThatThrownBy(() -> md.getIntArray("strs"))
                .hasMessage("metadata key 'strs' in %s is ARRAY[STRING], expected an integer array", file);
        assertThatThrownBy(() -> md.getIntArray("u32s"))
                .hasMessage("metadata key 'u32s' in %s: element 0 of a UINT32 array (4294967295) does not fit in an int", file);
        assertThatThrownBy(() -> md.getArray("name")).hasMessage("metadata key 'name' in %s is STRING, expected an array", file);
    }

    @Test
    void describe_showsStoredTypeAndValueOnOneLine() {
        assertThat(md.describe("name")).isEqualTo("STRING = \"tiny\"");
        assertThat(md.describe("ctx")).isEqualTo("UINT32 = 4000000000");
        assertThat(md.describe("u8s")).isEqualTo("ARRAY[UINT8] = [255, 0]");
        assertThat(md.describe("strs")).isEqualTo("ARRAY[STRING] = [\"a\", \"b\"]");
        assertThat(GgufArray.ofInt32(1, 2, 3, 4, 5, 6, 7, 8, 9, 10).toString()).isEqualTo("[1, 2, 3, 4, 5, 6, 7, 8, …] (10 items)");
    }
}
