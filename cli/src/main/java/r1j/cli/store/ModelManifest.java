package r1j.cli.store;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.Objects;

/**
 * What the store knows about one model, kept as {@code manifest.json} beside the GGUF file (and, while a download
 * is under way, as {@code pending.json} with {@code size = -1} and no hash).
 *
 * @param name           canonical store name ({@code deepseek-r1:7b}, {@code owner/repo/file.gguf})
 * @param file           GGUF file name inside the model's folder
 * @param url            where it was downloaded from
 * @param size           bytes, or -1 while pending
 * @param sha256         lower-case hex SHA-256 of the file, or {@code null} while pending
 * @param sha256Verified true when the hash matched one promised by the catalog, the user or the server; false when
 *                       nobody promised one and the store only recorded what it computed
 * @param downloadedAt   ISO-8601 instant the download finished (or started, while pending)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelManifest(String name, String file, String url, long size, String sha256, boolean sha256Verified,
                            String downloadedAt) {

    public ModelManifest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(downloadedAt, "downloadedAt");
    }
}
