package r1j.cli.store;

import java.nio.file.Path;

/**
 * A model in the store: its manifest and the GGUF file on disk.
 *
 * @param manifest what the store recorded at download time
 * @param path     the GGUF file
 */
public record StoredModel(ModelManifest manifest, Path path) {

    /** @return the canonical store name */
    public String name() {
        return manifest.name();
    }
}
