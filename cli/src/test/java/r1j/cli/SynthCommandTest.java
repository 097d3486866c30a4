package r1j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import r1j.chat.ChatMessage;
import r1j.engine.Completion;
import r1j.engine.Engine;
import r1j.engine.EngineOptions;
import r1j.engine.GenerationRequest;
import r1j.model.ModelConfig;
import r1j.sample.SamplerSettings;

/** {@code r1j synth}: the written file loads as a Qwen2 model of the requested shape and generates. */
class SynthCommandTest {

    @TempDir
    Path dir;

    @Test
    void synth_writesALoadableModelInTheShape_withTheCopiedTokenizer() throws Exception {
        var url = SynthCommandTest.class.getResource("/golden/qwen2-tiny/Q8_0.gguf");
        assertThat(url).as("test resource golden/qwen2-tiny/Q8_0.gguf").isNotNull();
        Path out = dir.resolve("synth.gguf");
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("synth", "--shape", "qwen2-0.5b", "--layers", "1", "--ctx", "512",
                "--vocab-from", Path.of(url.toURI()).toString(), "-o", out.toString());
        assertThat(code).as(err.toString()).isZero();
        try (Engine engine = Engine.load(out, EngineOptions.defaults().withParallel(1).withContextSize(128))) {
            ModelConfig c = (ModelConfig) engine.config();
            assertThat(c.dim()).isEqualTo(896);
            assertThat(c.layers()).isEqualTo(1);
            assertThat(c.heads()).isEqualTo(14);
            assertThat(c.kvHeads()).isEqualTo(2);
            assertThat(c.hiddenDim()).isEqualTo(4864);
            assertThat(c.vocab()).isEqualTo(512); // the golden tokenizer's size
            Completion done = engine.generate(GenerationRequest.chat(List.of(ChatMessage.user("hi")))
                    .withSampling(SamplerSettings.greedy()).withMaxTokens(4).withIgnoreEos(true));
            assertThat(done.first().tokens()).hasSize(4);
        }
    }

    @Test
    void synth_unknownShape_isAUsageError() {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("synth", "--shape", "gpt-5", "--vocab-from", "x.gguf", "-o", dir.resolve("o").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("unknown shape 'gpt-5'");
    }
}
