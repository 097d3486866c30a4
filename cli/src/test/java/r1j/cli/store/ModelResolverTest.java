package r1j.cli.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelResolverTest {

    @TempDir
    Path home;

    /** Puts a model into the store the way a finished pull leaves it. */
    private Path storeModel(String name, String file) throws IOException {
        ModelStore store = new ModelStore(home);
        Path dir = store.folderOf(ModelCatalog.canonicalName(name));
        Files.createDirectories(dir);
        Path gguf = Files.writeString(dir.resolve(file), "GGUF");
        Files.writeString(dir.resolve(ModelStore.MANIFEST), """
                {"name": "%s", "file": "%s", "url": "http://x/%s", "size": 4, "sha256": "%s",
                 "sha256Verified": false, "downloadedAt": "2026-11-29T11:00:00Z"}
                """.formatted(ModelCatalog.canonicalName(name), file, file, "a".repeat(64)));
        return gguf;
    }

    @Test
    void locate_existingPathWinsOverStoredName() throws IOException {
        storeModel("deepseek-r1:1.5b", "stored.gguf");
        Path local = Files.writeString(home.resolve("local.gguf"), "GGUF");
        ModelResolver resolver = new ModelResolver(new ModelStore(home));

        assertThat(resolver.locate(local.toString())).isEqualTo(local);
    }

    @Test
    void locate_storedNameInAnySpellingGivesItsFile() throws IOException {
        Path gguf = storeModel("deepseek-r1:7b", "DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf");
        ModelResolver resolver = new ModelResolver(new ModelStore(home));

        assertThat(resolver.locate("deepseek-r1:7b")).isEqualTo(gguf);
        assertThat(resolver.locate("deepseek-r1")).isEqualTo(gguf);
    }

    @Test
    void locate_modelNameNotPulled_saysToPullOrPassAPath() {
        ModelResolver resolver = new ModelResolver(new ModelStore(home));

        assertThatThrownBy(() -> resolver.locate("deepseek-r1:14b"))
                .isInstanceOf(ModelNotFoundException.class)
                .hasMessage("model 'deepseek-r1:14b' not found in " + home.resolve("models")
                        + "; run `r1j pull deepseek-r1:14b`, or pass a path (`r1j list` shows what is stored)");
        assertThatThrownBy(() -> resolver.locate("my-model:q8"))
                .isInstanceOf(ModelNotFoundException.class)
                .hasMessageContaining("`r1j create my-model:q8 -f FILE.gguf` gives a GGUF file that name");
    }

    @Test
    void locate_missingFileThatIsNoName_saysSo() {
        ModelResolver resolver = new ModelResolver(new ModelStore(home));

        assertThatThrownBy(() -> resolver.locate(home.resolve("nope.gguf").toString()))
                .isInstanceOf(ModelNotFoundException.class)
                .hasMessageContaining("no such file, and not a model name");
    }

    @Test
    void locate_manifestWhoseFileWasDeleted_isNotAModel() throws IOException {
        Files.delete(storeModel("deepseek-r1:8b", "m.gguf"));
        ModelResolver resolver = new ModelResolver(new ModelStore(home));

        assertThatThrownBy(() -> resolver.locate("deepseek-r1:8b")).isInstanceOf(ModelNotFoundException.class);
    }

    @Test
    void storeConfig_readsHomeAndEndpointFromEnvironment() {
        Path user = Path.of("/home/someone");

        assertThat(StoreConfig.fromEnvironment(Map.of(), user))
                .isEqualTo(new StoreConfig(user.resolve(".r1j"), ModelCatalog.DEFAULT_ENDPOINT));
        assertThat(StoreConfig.fromEnvironment(Map.of("R1J_HOME", "/data/r1j", "HF_ENDPOINT", "https://hf-mirror.example"), user))
                .isEqualTo(new StoreConfig(Path.of("/data/r1j"), java.net.URI.create("https://hf-mirror.example")));
        assertThat(StoreConfig.fromEnvironment(Map.of("R1J_HF_ENDPOINT", "http://127.0.0.1:9", "HF_ENDPOINT", "https://x"), user)
                .endpoint()).hasToString("http://127.0.0.1:9");
    }

    @Test
    void locate_bareFileNameOfAStoredModelFindsIt() throws IOException {
        Path gguf = storeModel("deepseek-r1:1.5b", "DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf");
        ModelResolver resolver = new ModelResolver(new ModelStore(home));

        assertThat(resolver.locate("DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf")).isEqualTo(gguf);
    }

    @Test
    void checkSpace_refusesADownloadThatCannotFit() {
        Path part = home.resolve("m.gguf.part");

        PartFile.checkSpace(1_000, 1_000, "m", part);
        assertThatThrownBy(() -> PartFile.checkSpace(4_700_000_000L, 1_200_000_000L, "deepseek-r1:7b", part))
                .isInstanceOf(DownloadException.class)
                .hasMessage("deepseek-r1:7b needs 4.7 GB more but only 1.2 GB are free for " + home
                        + "; free some space or set R1J_HOME to a larger disk");
    }

    @Test
    void locateDefault_isTheBuiltInTinyR1_unpackedOnceIntoTheHome_evenWhenModelsAreStored() throws IOException {
        storeModel("deepseek-r1:1.5b", "small.gguf");
        ModelResolver resolver = new ModelResolver(new ModelStore(home));
        Path builtIn = resolver.locateDefault();
        assertThat(builtIn).startsWith(home.resolve("builtin")).hasFileName(builtIn.getFileName().toString());
        assertThat(builtIn.getFileName().toString()).matches("tiny-r1-[0-9a-f]{12}\\.gguf");
        try (var in = BuiltInModel.class.getResourceAsStream(BuiltInModel.RESOURCE)) {
            assertThat(Files.readAllBytes(builtIn)).isEqualTo(in.readAllBytes());
        }
        long written = Files.getLastModifiedTime(builtIn).toMillis();
        assertThat(resolver.locateDefault()).isEqualTo(builtIn);
        assertThat(Files.getLastModifiedTime(builtIn).toMillis()).as("not rewritten").isEqualTo(written);
        assertThat(resolver.locate(BuiltInModel.NAME)).isEqualTo(builtIn);
        try (var gguf = r1j.gguf.GgufFile.open(builtIn)) {
            assertThat(gguf.metadata().getString("general.architecture")).isIn("llama", "qwen2");
        }
    }
}
