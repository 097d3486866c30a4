package r1j.cli.store;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where the store lives and which hub it downloads from, read from the environment:
 * {@code R1J_HOME} (default {@code ~/.r1j}) and {@code R1J_HF_ENDPOINT} (else {@code HF_ENDPOINT}, the variable
 * Hugging Face's own tools read; default {@code https://huggingface.co}).
 *
 * @param home     the r1j home folder; models go to {@code home/models}
 * @param endpoint the Hugging Face hub base URL
 */
public record StoreConfig(Path home, URI endpoint) {

    public StoreConfig {
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(endpoint, "endpoint");
    }

    /** @return the configuration of this process's environment */
    public static StoreConfig fromSystem() {
        return fromEnvironment(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /**
     * @param env      environment variables
     * @param userHome the user's home folder, for the default {@code ~/.r1j}
     * @return the configuration those variables describe
     */
    public static StoreConfig fromEnvironment(Map<String, String> env, Path userHome) {
        String home = env.get("R1J_HOME");
        String endpoint = env.getOrDefault("R1J_HF_ENDPOINT", env.get("HF_ENDPOINT"));
        return new StoreConfig(
                home == null || home.isBlank() ? userHome.resolve(".r1j") : Path.of(home),
                endpoint == null || endpoint.isBlank() ? ModelCatalog.DEFAULT_ENDPOINT : URI.create(endpoint.strip()));
    }

    /** @return the store rooted at {@link #home()} */
    public ModelStore store() {
        return new ModelStore(home);
    }

    /** @return the catalog resolving names against {@link #endpoint()} */
    public ModelCatalog catalog() {
        return new ModelCatalog(endpoint);
    }
}
