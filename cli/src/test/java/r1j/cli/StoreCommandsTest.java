package r1j.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import r1j.cli.store.LoopbackHub;
import r1j.cli.store.ModelDownloader;
import r1j.cli.store.ModelResolver;
import r1j.cli.store.StoreConfig;
import r1j.model.GoldenModels;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code r1j pull / list / rm} end to end against a loopback hub, through picocli as the launcher runs them. */
@Timeout(120) // a hang detector only: generous, as a loaded 2-core machine can be slow
class StoreCommandsTest {

    private static final String NAME = "deepseek-r1:1.5b";
    private static final String FILE = "DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf";

    @TempDir
    Path home;

    private LoopbackHub hub;
    private StoreConfig config;
    private byte[] model;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void startHub() throws IOException {
        hub = new LoopbackHub();
        config = new StoreConfig(home, hub.endpoint());
        model = new byte[200_000];
        new SplittableRandom(7).nextBytes(model);
        hub.put("bartowski/DeepSeek-R1-Distill-Qwen-1.5B-GGUF", FILE, model);
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    private int run(Object command, String... args) {
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private PullCommand pull() {
        return new PullCommand(config, new ModelDownloader(ModelDownloader.defaultClient(), 2, Duration.ZERO));
    }

    @Test
    void pull_thenList_thenRm() {
        assertThat(run(pull(), "-q", "deepseek-r1:1.5b")).isZero();
        assertThat(out.toString())
                .contains("pulled deepseek-r1:1.5b: 200.0 kB, sha256 " + LoopbackHub.sha256(model) + " (verified)")
                .contains(home.resolve("models").resolve("deepseek-r1-1.5b").resolve(FILE).toString());

        out.getBuffer().setLength(0);
        assertThat(run(new ListCommand(config, ZoneOffset.UTC))).isZero();
        assertThat(out.toString().lines().toList()).hasSize(3);
        assertThat(out.toString().lines().skip(1).findFirst().orElseThrow()).matches("tiny-r1 \\(built-in\\) +[0-9.]+ [kM]B +-");
        assertThat(out.toString().lines().skip(2).findFirst().orElseThrow())
                .matches("deepseek-r1:1\\.5b +200\\.0 kB +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d");

        out.getBuffer().setLength(0);
        assertThat(run(new RmCommand(config), "deepseek-r1:1.5b")).isZero();
        assertThat(out.toString()).isEqualTo("deleted deepseek-r1:1.5b" + System.lineSeparator());
        assertThat(home.resolve("models").resolve("deepseek-r1-1.5b")).doesNotExist();

        out.getBuffer().setLength(0);
        assertThat(run(new ListCommand(config, ZoneOffset.UTC))).isZero();
        assertThat(out.toString()).contains("tiny-r1 (built-in)", "no models in ", "r1j pull deepseek-r1:1.5b",
                "r1j create NAME -f FILE.gguf");
    }

    @Test
    void pull_ofStoredModel_doesNotDownloadAgainUnlessForced() {
        assertThat(run(pull(), "-q", NAME)).isZero();
        assertThat(run(pull(), "-q", "deepseek-r1:1.5b-Q4_K_M")).isZero();
        assertThat(out.toString()).contains("deepseek-r1:1.5b is already pulled");
        assertThat(hub.rangeRequests).hasSize(1);

        assertThat(run(pull(), "-q", "--force", NAME)).isZero();
        assertThat(hub.rangeRequests).hasSize(2);
    }

    @Test
    void pull_withWrongSha256Option_failsWithExitOneAndStoresNothing() throws IOException {
        assertThat(run(pull(), "-q", "--sha256", "ab".repeat(32), NAME)).isEqualTo(1);

        assertThat(err.toString()).startsWith("r1j pull: SHA-256 mismatch");
        try (var files = Files.walk(home)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.equals(FILE) || n.equals("manifest.json") || n.endsWith(".part"));
        }
    }

    @Test
    void pull_unknownOnServer_printsNotFoundAndExitsOne() {
        assertThat(run(pull(), "-q", "tester/none-GGUF/none.gguf")).isEqualTo(1);

        assertThat(err.toString()).startsWith("r1j pull: tester/none-GGUF/none.gguf was not found at ")
                .contains("(HTTP 404)");
    }

    @Test
    void pull_badName_explainsTheNameForms() {
        assertThat(run(pull(), "Llama 3!")).isEqualTo(1);

        assertThat(err.toString()).contains("'Llama 3!' is not a model name").contains("owner/repo/file.gguf",
                "r1j create NAME -f FILE.gguf");
    }

    @Test
    void pull_ofALocalName_saysItNamesNoDownload() {
        assertThat(run(pull(), "llama3")).isEqualTo(1);

        assertThat(err.toString()).contains("'llama3' names a local file (`r1j create llama3 -f FILE.gguf`)");
        assertThat(hub.rangeRequests).isEmpty();
    }

    @Test
    void create_registersAGgufUnderAName_listShowsIt_modelOptionFindsIt_rmRemovesIt() throws IOException {
        Path gguf = GoldenModels.model("qwen2-tiny", "Q8_0");
        Path mine = Files.copy(gguf, home.resolve("downloaded.gguf"));

        assertThat(run(new CreateCommand(config), "my-r1:q8", "-f", mine.toString())).isZero();
        assertThat(out.toString()).startsWith("created my-r1:q8: ").contains("sha256 " + LoopbackHub.sha256(Files.readAllBytes(gguf)));

        out.getBuffer().setLength(0);
        assertThat(run(new ListCommand(config, ZoneOffset.UTC))).isZero();
        assertThat(out.toString()).containsPattern("\nmy-r1:q8 +[0-9.]+ [kM]B +\\d{4}-");
        Path stored = new ModelResolver(config.store()).locate("my-r1:q8");
        assertThat(stored).startsWith(home.resolve("models")).hasSameBinaryContentAs(gguf);

        assertThat(run(new RmCommand(config), "my-r1:q8")).isZero();
        assertThat(stored).doesNotExist();
        assertThat(mine).as("the user's own file stays").hasSameBinaryContentAs(gguf);
    }

    @Test
    void create_refusesAFileThatIsNotGguf_andTheBuiltInName() throws IOException {
        Path text = Files.writeString(home.resolve("notes.gguf"), "not a model");

        assertThat(run(new CreateCommand(config), "notes", "-f", text.toString())).isEqualTo(1);
        assertThat(err.toString()).startsWith("r1j create: " + text + " is not a usable GGUF model: ");
        assertThat(home.resolve("models").resolve("notes")).doesNotExist();

        err.getBuffer().setLength(0);
        assertThat(run(new CreateCommand(config), "tiny-r1", "-f", GoldenModels.model("qwen2-tiny", "Q8_0").toString()))
                .isEqualTo(1);
        assertThat(err.toString()).contains("'tiny-r1' is the built-in model's name; choose another");

        err.getBuffer().setLength(0);
        assertThat(run(new RmCommand(config), "tiny-r1")).isEqualTo(1);
        assertThat(err.toString()).contains("'tiny-r1' is built into r1j and cannot be removed");
    }

    @Test
    void list_showsUnfinishedDownloadWithHowToResume() {
        hub.cutAfterBytes = 50_000;
        hub.cutsLeft.set(2);
        assertThat(run(pull(), "-q", NAME)).isEqualTo(1);
        assertThat(err.toString()).contains("run the same pull again to resume");

        out.getBuffer().setLength(0);
        assertThat(run(new ListCommand(config, ZoneOffset.UTC))).isZero();
        assertThat(out.toString()).contains("unfinished: deepseek-r1:1.5b (")
                .contains("`r1j pull deepseek-r1:1.5b` resumes it");

        assertThat(run(new RmCommand(config), NAME)).isZero();
        assertThat(home.resolve("models").resolve("deepseek-r1-1.5b")).doesNotExist();
    }

    @Test
    void list_json_isOneArrayWithPathAndHash() {
        assertThat(run(pull(), "-q", NAME)).isZero();
        out.getBuffer().setLength(0);

        assertThat(run(new ListCommand(config, ZoneOffset.UTC), "--json")).isZero();

        assertThat(out.toString().strip()).startsWith("[{\"name\":\"tiny-r1\",\"builtIn\":true,\"size\":")
                .contains("{\"name\":\"deepseek-r1:1.5b\",\"file\":\"" + FILE + "\"")
                .contains("\"sha256\":\"" + LoopbackHub.sha256(model) + "\"").endsWith("}]");
    }

    @Test
    void rm_unknownModel_exitsOneWithHint() {
        assertThat(run(new RmCommand(config), "deepseek-r1:70b")).isEqualTo(1);

        assertThat(err.toString()).contains("model 'deepseek-r1:70b' is not in").contains("`r1j list` shows what is");
    }

    @Test
    void main_listsStoreCommands() {
        StringWriter usage = new StringWriter();
        Main.commandLine().usage(new PrintWriter(usage));

        assertThat(usage.toString()).contains("pull").contains("list").contains("rm");
    }

    @Test
    void main_printsStoreErrorsEscapingACommandAsOneLine() {
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        CommandLine probe = new CommandLine(new ResolveProbe())
                .setExecutionExceptionHandler(cl.getExecutionExceptionHandler());
        probe.setErr(new PrintWriter(err, true));

        assertThat(probe.execute(home.resolve("missing.gguf").toString())).isEqualTo(1);

        assertThat(err.toString()).startsWith("probe: model '" + home.resolve("missing.gguf") + "' not found")
                .doesNotContain("Exception");
    }

    /** A command that resolves its argument the way model-taking commands do. */
    @CommandLine.Command(name = "probe")
    static final class ResolveProbe implements Runnable {
        @CommandLine.Parameters
        String model;

        @Override
        public void run() {
            r1j.cli.store.ModelResolver.resolve(model);
        }
    }
}
