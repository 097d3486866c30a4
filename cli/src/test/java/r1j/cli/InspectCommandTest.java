package r1j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import r1j.gguf.GgufWriter;
import r1j.tensor.GgmlType;

/** {@code r1j inspect} through {@link Main#commandLine()}, as the launcher runs it, on the golden models. */
class InspectCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private static Path golden(String relative) throws URISyntaxException {
        var url = InspectCommandTest.class.getResource("/golden/" + relative);
        assertThat(url).as("test resource golden/%s", relative).isNotNull();
        return Path.of(url.toURI());
    }

    @Test
    void inspect_goldenModel_printsHeaderMetadataTensorsAndTotals() throws Exception {
        Path file = golden("qwen2-tiny/Q4_K_M.gguf");
        assertThat(run("inspect", file.toString())).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).contains(
                "file:       " + file,
                "version:    GGUF v3",
                "file size:  1149984 bytes (1.1 MB)",
                "tensors:    27",
                "alignment:  32",
                "  general.architecture: STRING = \"qwen2\"",
                "  qwen2.block_count: UINT32 = 2",
                "  tokenizer.ggml.pre: STRING = \"deepseek-r1-qwen\"");
        assertThat(lines).contains(
                "  tokenizer.ggml.tokens: ARRAY[STRING] = [\"!\", \"\\\"\", \"#\", \"$\", \"%\", \"&\", \"'\", \"(\", …] (512 items)");
        assertThat(lines).anyMatch(l -> l.matches("  token_embd\\.weight +Q4_K +\\[256, 512] +73728 +\\d+"));
        assertThat(lines).anyMatch(l -> l.matches("  blk\\.1\\.ffn_down\\.weight +Q6_K +\\[768, 256] +161280 +\\d+"));
        JsonNode tensorTypes = new ObjectMapper().readTree(Files.readString(golden("qwen2-tiny/manifest.json")))
                .path("types").path("Q4_K_M").path("tensor_types");
        Map<String, Long> perType = tensorTypes.properties().stream()
                .collect(Collectors.groupingBy(e -> e.getValue().asText(), Collectors.counting()));
        assertThat(perType).containsOnlyKeys("Q4_K", "Q6_K", "F32");
        perType.forEach((type, count) -> assertThat(lines).anyMatch(l -> l.matches("  " + type + " +" + count + " tensors .*")));
        assertThat(lines).anyMatch(l -> l.matches("  all +" + tensorTypes.size() + " tensors .*"));
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void inspect_deepseek2_printsLatentKvBytesPerTokenAgainstDecompressedKv() throws Exception {
        // 3 layers x (kv_lora_rank 128 + rope 32) x 4 bytes; decompressed: 3 x 4 heads x (key 96 + value 64) x 4
        assertThat(run("inspect", "--no-metadata", "--no-tensors", golden("deepseek2-v3/Q8_0.gguf").toString())).isZero();
        assertThat(out.toString().lines().toList()).contains(
                "kv cache:   1920 bytes/token (MLA latent: kv_lora_rank 128 + rope key 32, F32) = 1.9 MB per 1000 tokens",
                "            decompressed per-head K and V would take 7680 bytes/token (4.0x more)");
    }

    @Test
    void inspect_denseModel_printsKvBytesPerToken() throws Exception {
        // 2 layers x K and V x 2 KV heads x 64 x 4 bytes
        assertThat(run("inspect", "--no-metadata", "--no-tensors", golden("llama-tiny/Q4_0.gguf").toString())).isZero();
        assertThat(out.toString()).contains("kv cache:   2048 bytes/token (K and V of 2 KV heads x 64, F32)")
                .doesNotContain("decompressed");
    }

    @Test
    void inspect_stats_printsOpenTimeAndResidentMemory() throws Exception {
        assertThat(run("inspect", "--stats", "--no-metadata", "--no-tensors", golden("llama-tiny/F16.gguf").toString())).isZero();
        assertThat(out.toString()).containsPattern("open time: +\\d+\\.\\d ms")
                .containsPattern("VmRSS: +\\d+\\.\\d MiB before open, \\d+\\.\\d MiB after")
                .doesNotContain("metadata:\n").doesNotContain("tensors:\n");
    }

    @Test
    void inspect_longStringsAndUnsupportedTypes_stayOnOneLineAndAreMarked() throws IOException {
        Path file = dir.resolve("odd.gguf");
        new GgufWriter().putString("tokenizer.chat_template", "{% for m in messages %}\n".repeat(20))
                .putUint64("big", -1L)
                .addTensor("iq", GgmlType.IQ2_XXS, new long[]{256}, new byte[66])
                .write(file);
        assertThat(run("inspect", file.toString())).isZero();
        assertThat(out.toString().lines().toList())
                .anyMatch(l -> l.startsWith("  tokenizer.chat_template: STRING = \"{% for m in messages %}\\n{%")
                        && l.endsWith("… (480 chars)"))
                .contains("  big: UINT64 = 18446744073709551615")
                .anyMatch(l -> l.matches("  IQ2_XXS +1 tensors .*\\(not supported by r1j\\)"));
    }

    @Test
    void inspect_corruptFile_printsMessageAndExits1() throws IOException {
        Path file = dir.resolve("bad.gguf");
        Files.write(file, "GGUF\u0001\0\0\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThat(run("inspect", file.toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("r1j inspect: '" + file + "': unsupported GGUF version 1; r1j reads versions 2 and 3"
                + System.lineSeparator());
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void inspect_missingFile_saysSoAndExits1() {
        assertThat(run("inspect", dir.resolve("nope.gguf").toString())).isEqualTo(1);
        assertThat(err.toString()).startsWith("r1j inspect: ").contains("nope.gguf");
    }
}
