package r1j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import r1j.model.GoldenModels;

class LogitsCommandTest {

    @TempDir
    Path dir;

    @Test
    void logits_writesEveryPositionAsLittleEndianF32MatchingLlamaCpp() throws Exception {
        int[] tokens = GoldenModels.sequence("llama-tiny", "seq8");
        Path out = dir.resolve("out.f32");
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setErr(new PrintWriter(err));
        int rc = cmd.execute("logits", "--kv-type", "f32", "-m", GoldenModels.model("llama-tiny", "Q8_0").toString(),
                "--tokens", Arrays.stream(tokens).mapToObj(Integer::toString).collect(Collectors.joining(",")),
                "-o", out.toString());
        assertThat(rc).as(err.toString()).isZero();

        byte[] bytes = Files.readAllBytes(out);
        float[] got = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(got);
        float[] expected = GoldenModels.f32("llama-tiny", "Q8_0.deq.logits.seq8.f32");
        assertThat(got).hasSize(tokens.length * 512);
        assertThat(GoldenModels.maxAbsDiff(got, expected, got.length)).isLessThanOrEqualTo(1e-3f);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(out);
        }
    }

    @Test
    void logits_missingModelFailsWithAClearMessage() {
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setErr(new PrintWriter(err));
        int rc = cmd.execute("logits", "-m", dir.resolve("nope.gguf").toString(), "--tokens", "1,2", "-o", dir.resolve("o.f32").toString());
        assertThat(rc).isNotZero();
        assertThat(err.toString()).contains("nope.gguf").contains("not found");
        assertThat(dir.resolve("o.f32")).doesNotExist();
    }

    @Test
    void logits_tokenOutsideTheVocabularyIsRejected() {
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setErr(new PrintWriter(err));
        int rc = cmd.execute("logits", "-m", GoldenModels.model("qwen2-tiny", "Q4_0").toString(),
                "--tokens", "1,512", "-o", dir.resolve("o.f32").toString());
        assertThat(rc).isNotZero();
        assertThat(err.toString()).contains("token id 512").contains("vocabulary");
        assertThat(dir.resolve("o.f32")).doesNotExist();
    }
}
