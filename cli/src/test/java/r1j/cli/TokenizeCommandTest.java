package r1j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code r1j tokenize} in-process, against llama.cpp's tokenizations in the qwen2-tiny golden manifest and its
 * Qwen2 tokenizer vectors (resources of the core test jar).
 */
class TokenizeCommandTest {
    @TempDir
    static Path dir;
    static Path gguf;
    static Path qwen2Dir;
    static List<JsonNode> cases = new ArrayList<>();

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void resources() throws IOException {
        gguf = dir.resolve("qwen2-tiny.gguf");
        try (InputStream in = resource("golden/qwen2-tiny/F16.gguf")) {
            Files.copy(in, gguf);
        }
        qwen2Dir = Files.createDirectory(dir.resolve("qwen2"));
        for (String name : List.of("vocab.json", "merges.txt")) {
            try (InputStream in = new GZIPInputStream(resource("tokenizer/vocab/qwen2/" + name + ".gz"))) {
                Files.copy(in, qwen2Dir.resolve(name));
            }
        }
        try (InputStream in = resource("golden/qwen2-tiny/manifest.json")) {
            new ObjectMapper().readTree(in).get("tokenizer").get("cases").forEach(cases::add);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = TokenizeCommandTest.class.getResourceAsStream("/" + name);
        if (in == null) {
            throw new IllegalStateException("test resource missing: " + name);
        }
        return in;
    }

    private static JsonNode goldenCase(String textStart, boolean addSpecial, boolean parseSpecial) {
        return cases.stream()
                .filter(c -> c.get("text").asText().startsWith(textStart)
                        && c.get("add_special").asBoolean() == addSpecial
                        && c.get("parse_special").asBoolean() == parseSpecial)
                .findFirst().orElseThrow(() -> new IllegalStateException("no golden case " + textStart));
    }

    private static String idsLine(JsonNode c) {
        return StreamSupport.stream(c.get("ids").spliterator(), false).map(JsonNode::asText)
                .collect(Collectors.joining(" "));
    }

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void tokenize_addsBosAsTheVocabularyAsks() {
        JsonNode c = goldenCase("Hello world", true, true);
        assertThat(run("tokenize", "-m", gguf.toString(), c.get("text").asText())).isZero();
        assertThat(out.toString()).isEqualTo(idsLine(c) + System.lineSeparator());
    }

    @Test
    void tokenize_noBos_parsesSpecialTokens() {
        JsonNode c = goldenCase("<｜begin▁of▁sentence｜><｜User｜>", false, true);
        assertThat(run("tokenize", "-m", gguf.toString(), "--no-bos", c.get("text").asText())).isZero();
        assertThat(out.toString().strip()).isEqualTo(idsLine(c));
    }

    @Test
    void tokenize_noSpecial_treatsControlTokensAsText() {
        JsonNode c = goldenCase("<｜begin▁of▁sentence｜><｜User｜>", false, false);
        assertThat(run("tokenize", "-m", gguf.toString(), "--no-bos", "--no-special", c.get("text").asText()))
                .isZero();
        assertThat(out.toString().strip()).isEqualTo(idsLine(c));
    }

    @Test
    void tokenize_stdin_keepsTrailingNewline() {
        JsonNode c = goldenCase("  leading spaces", false, true);
        assertThat(c.get("text").asText()).endsWith("\n");
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream(c.get("text").asText().getBytes(StandardCharsets.UTF_8)));
            assertThat(run("tokenize", "-m", gguf.toString(), "--no-bos", "--stdin")).isZero();
        } finally {
            System.setIn(saved);
        }
        assertThat(out.toString().strip()).isEqualTo(idsLine(c));
    }

    @Test
    void tokenize_huggingFaceDirectory_defaultsToQwen2() {
        // llama.cpp vector #32 for ggml-vocab-qwen2 (ids without BOS; this directory has no BOS)
        String text = "Hello, y'all! How are you 😁 ?我想在apple工作1314151天～";
        assertThat(run("tokenize", "-m", qwen2Dir.toString(), text)).isZero();
        assertThat(out.toString().strip()).isEqualTo("9707 11 379 64848 0 2585 525 498 26525 223 937 104100 18493"
                + " 22377 99257 16 18 16 19 16 20 16 35727 21216");
    }

    @Test
    void tokenize_missingModel_failsWithMessage() {
        assertThat(run("tokenize", "-m", dir.resolve("nope.gguf").toString(), "x")).isEqualTo(1);
        assertThat(err.toString()).contains("r1j tokenize:").contains("nope.gguf");
    }

    @Test
    void tokenize_unknownPreTokenizer_failsWithSupportedList() {
        assertThat(run("tokenize", "-m", gguf.toString(), "--pre", "klingon", "x")).isEqualTo(1);
        assertThat(err.toString()).contains("klingon").contains("deepseek-r1-qwen");
    }

    @Test
    void tokenize_textAndStdinTogether_isAUsageError() {
        assertThat(run("tokenize", "-m", gguf.toString(), "--stdin", "x")).isEqualTo(2);
        assertThat(err.toString()).contains("exactly one");
    }
}
