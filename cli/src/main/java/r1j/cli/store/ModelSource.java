package r1j.cli.store;

import java.net.URI;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a named model comes from: the canonical store name, the download URL, the file name to keep, and the
 * SHA-256 when the catalog knows it.
 *
 * @param name           canonical store name ({@code deepseek-r1:7b}, {@code owner/repo/file.gguf})
 * @param url            the file's download URL (may redirect)
 * @param fileName       the GGUF file name kept in the store (the last path segment of the source)
 * @param expectedSha256 lower-case hex SHA-256 of the file, or {@code null} when unknown (the server may still
 *                       announce one, and the store then records the hash it computed)
 */
public record ModelSource(String name, URI url, String fileName, String expectedSha256) {

    public ModelSource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(fileName, "fileName");
        if (fileName.isEmpty() || fileName.contains("/") || fileName.equals(".") || fileName.equals("..")) {
            throw new IllegalArgumentException("fileName must be a single path segment: '" + fileName + "'");
        }
        if (expectedSha256 != null) {
            expectedSha256 = normalizeSha256(expectedSha256);
        }
    }

    /** @return true when the SHA-256 is known before downloading */
    public boolean hasExpectedSha256() {
        return expectedSha256 != null;
    }

    /** @return this source with its checksum set (e.g. from {@code --sha256}) */
    public ModelSource withExpectedSha256(String sha256) {
        return new ModelSource(name, url, fileName, sha256);
    }

    /**
     * Checks and lower-cases a SHA-256 given as hex.
     *
     * @throws IllegalArgumentException when it is not 64 hex digits
     */
    public static String normalizeSha256(String hex) {
        String h = hex.strip().toLowerCase(Locale.ROOT);
        if (h.length() != 64 || !h.chars().allMatch(HexFormat::isHexDigit)) {
            throw new IllegalArgumentException("a SHA-256 is 64 hex digits, got '" + hex + "'");
        }
        return h;
    }
}
