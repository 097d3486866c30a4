package r1j.cli.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelCatalogTest {

    private final ModelCatalog catalog = new ModelCatalog(ModelCatalog.DEFAULT_ENDPOINT);

    // Expected URLs are bartowski's published llama.cpp quantizations of the six R1 distills.
    @ParameterizedTest
    @CsvSource({
            "deepseek-r1:1.5b, bartowski/DeepSeek-R1-Distill-Qwen-1.5B-GGUF, DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf",
            "deepseek-r1:7b,   bartowski/DeepSeek-R1-Distill-Qwen-7B-GGUF,   DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf",
            "deepseek-r1:8b,   bartowski/DeepSeek-R1-Distill-Llama-8B-GGUF,  DeepSeek-R1-Distill-Llama-8B-Q4_K_M.gguf",
            "deepseek-r1:14b,  bartowski/DeepSeek-R1-Distill-Qwen-14B-GGUF,  DeepSeek-R1-Distill-Qwen-14B-Q4_K_M.gguf",
            "deepseek-r1:32b,  bartowski/DeepSeek-R1-Distill-Qwen-32B-GGUF,  DeepSeek-R1-Distill-Qwen-32B-Q4_K_M.gguf",
            "deepseek-r1:70b,  bartowski/DeepSeek-R1-Distill-Llama-70B-GGUF, DeepSeek-R1-Distill-Llama-70B-Q4_K_M.gguf",
            "deepseek-r1:8b-q8_0, bartowski/DeepSeek-R1-Distill-Llama-8B-GGUF, DeepSeek-R1-Distill-Llama-8B-Q8_0.gguf",
    })
    void source_mapsAliasToHuggingFaceResolveUrl(String name, String repo, String file) {
        ModelSource source = catalog.source(name);

        assertThat(source.url()).isEqualTo(URI.create("https://huggingface.co/" + repo + "/resolve/main/" + file));
        assertThat(source.fileName()).isEqualTo(file);
        assertThat(source.name()).isEqualTo(name);
        assertThat(source.hasExpectedSha256()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"deepseek-r1", "DeepSeek-R1", "deepseek-r1:latest", "deepseek-r1:7B", "deepseek-r1:7b-q4_k_m",
            " deepseek-r1:7b "})
    void canonicalName_spellingsOfTheDefaultAreOneModel(String spelling) {
        assertThat(ModelCatalog.canonicalName(spelling)).isEqualTo("deepseek-r1:7b");
    }

    @Test
    void source_huggingFaceFile_keepsSubfoldersAndUsesEndpoint() {
        ModelCatalog local = new ModelCatalog(URI.create("http://127.0.0.1:8080/"));

        ModelSource source = local.source("unsloth/DeepSeek-R1-GGUF/DeepSeek-R1-Q2_K/DeepSeek-R1-Q2_K-00001-of-00005.gguf");

        assertThat(source.url()).hasToString("http://127.0.0.1:8080/unsloth/DeepSeek-R1-GGUF/resolve/main/"
                + "DeepSeek-R1-Q2_K/DeepSeek-R1-Q2_K-00001-of-00005.gguf");
        assertThat(source.fileName()).isEqualTo("DeepSeek-R1-Q2_K-00001-of-00005.gguf");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "https://huggingface.co/bartowski/DeepSeek-R1-Distill-Qwen-7B-GGUF/resolve/main/DeepSeek-R1-Distill-Qwen-7B-Q6_K.gguf",
            "https://huggingface.co/bartowski/DeepSeek-R1-Distill-Qwen-7B-GGUF/blob/main/DeepSeek-R1-Distill-Qwen-7B-Q6_K.gguf",
            "hf.co/bartowski/DeepSeek-R1-Distill-Qwen-7B-GGUF/DeepSeek-R1-Distill-Qwen-7B-Q6_K.gguf",
    })
    void canonicalName_pastedLinksBecomeOwnerRepoFile(String link) {
        assertThat(ModelCatalog.canonicalName(link))
                .isEqualTo("bartowski/DeepSeek-R1-Distill-Qwen-7B-GGUF/DeepSeek-R1-Distill-Qwen-7B-Q6_K.gguf");
    }

    @Test
    void source_unknownSize_listsTheSizesThatExist() {
        assertThatThrownBy(() -> catalog.source("deepseek-r1:3b"))
                .isInstanceOf(ModelStoreException.class)
                .hasMessageContaining("unknown size '3b'")
                .hasMessageContaining(":1.5b, :7b, :8b, :14b, :32b, :70b");
    }

    @Test
    void source_unknownQuantization_listsTheChoices() {
        assertThatThrownBy(() -> catalog.source("deepseek-r1:7b-q2_k"))
                .isInstanceOf(ModelStoreException.class)
                .hasMessageContaining("unknown quantization 'q2_k'")
                .hasMessageContaining("q8_0, q6_k, q5_k_m, q4_k_m, q4_0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama 3", "my:model:x", "-lead", "owner/repo", "owner/repo/model.bin", "owner/../x.gguf", "owner//x.gguf",
            "owner/repo/has space.gguf", "deepseek-r1-fan/notes.txt", ""})
    void canonicalName_rejectsWhatIsNeitherAliasNorGgufFile(String name) {
        assertThatThrownBy(() -> ModelCatalog.canonicalName(name))
                .isInstanceOf(ModelStoreException.class)
                .hasMessageContaining("is not a model name")
                .hasMessageContaining("owner/repo/file.gguf");
        assertThat(ModelCatalog.looksLikeModelName(name)).isFalse();
    }

    @Test
    void canonicalName_ofALocalName_isItsLowerCase_andNamesNoDownload() {
        assertThat(ModelCatalog.canonicalName("My-R1:Q8")).isEqualTo("my-r1:q8");
        assertThat(ModelCatalog.canonicalName("llama3")).isEqualTo("llama3");
        assertThat(ModelCatalog.isLocalName("my-r1:q8")).isTrue();
        assertThat(ModelCatalog.isLocalName("deepseek-r1:7b")).isFalse();
        assertThat(ModelCatalog.isLocalName("model.gguf")).as("a bare file name stays a file name").isFalse();
        assertThatThrownBy(() -> new ModelCatalog(ModelCatalog.DEFAULT_ENDPOINT).source("my-r1:q8"))
                .isInstanceOf(ModelStoreException.class).hasMessageContaining("names a local file");
    }

    @Test
    void canonicalName_repoStartingWithFamilyNameIsAHuggingFaceFile() {
        assertThat(ModelCatalog.canonicalName("deepseek-r1-fan/repo/x.gguf")).isEqualTo("deepseek-r1-fan/repo/x.gguf");
    }

    @Test
    void constructor_rejectsNonHttpEndpoint() {
        assertThatThrownBy(() -> new ModelCatalog(URI.create("ftp://mirror")))
                .isInstanceOf(ModelStoreException.class)
                .hasMessageContaining("http(s) URL");
    }
}
