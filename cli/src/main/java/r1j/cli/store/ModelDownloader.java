package r1j.cli.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads one file over HTTP(S) into a {@code .part} file, resuming where an earlier attempt stopped, and hashes
 * it with SHA-256 on the way.
 *
 * <p>Resuming: when the part file holds N bytes the request carries {@code Range: bytes=N-}. A {@code 206} whose
 * {@code Content-Range} starts at N is appended; a {@code 200} means the server ignored the range, so the part is
 * truncated and the file fetched whole; a {@code 416} whose {@code Content-Range: bytes * /TOTAL} equals N means the
 * part is already complete. A connection lost mid-body (or a body shorter than announced) is retried from the new
 * end of the part, up to the attempt budget; after that the part stays for a later run to resume. A body that
 * delivers nothing for the stall timeout counts as a lost connection ({@link StallWatch}).
 *
 * <p>Checksums: the expected SHA-256 is the caller's, else the one Hugging Face announces for LFS files in the
 * {@code X-Linked-Etag} header of its redirect. On a mismatch the part is deleted and
 * {@link ChecksumMismatchException} thrown; the caller only ever moves a verified part into place.
 */
public final class ModelDownloader {

    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");
    private static final Pattern UNSATISFIED_RANGE = Pattern.compile("bytes\\s+\\*/(\\d+)");
    /** A CDN that sends nothing for this long is stuck; a fresh range request usually goes on at full speed. */
    static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(60);
    private static final String USER_AGENT = "r1j/0.1 (+https://github.com/r1j)";

    private final HttpClient client;
    private final int maxAttempts;
    private final Duration retryDelay;
    private final Duration stallTimeout;

    /**
     * @param client      the HTTP client; it should follow redirects (see {@link #defaultClient()})
     * @param maxAttempts requests per download before giving up (at least 1); each lost connection costs one
     * @param retryDelay  pause before a retry
     */
    public ModelDownloader(HttpClient client, int maxAttempts, Duration retryDelay) {
        this(client, maxAttempts, retryDelay, DEFAULT_STALL_TIMEOUT);
    }

    /**
     * @param client       the HTTP client; it should follow redirects (see {@link #defaultClient()})
     * @param maxAttempts  requests per download before giving up (at least 1); each lost connection costs one
     * @param retryDelay   pause before a retry
     * @param stallTimeout how long a body may deliver nothing before the connection is dropped and resumed
     */
    public ModelDownloader(HttpClient client, int maxAttempts, Duration retryDelay, Duration stallTimeout) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        this.client = Objects.requireNonNull(client, "client");
        this.maxAttempts = maxAttempts;
        this.retryDelay = Objects.requireNonNull(retryDelay, "retryDelay");
        this.stallTimeout = Objects.requireNonNull(stallTimeout, "stallTimeout");
    }

    /** @return a downloader with a redirect-following client, 5 attempts and a 2 s pause between them */
    public static ModelDownloader standard() {
        return new ModelDownloader(defaultClient(), 5, Duration.ofSeconds(2));
    }

    /** @return an HTTP client that follows redirects (Hugging Face redirects every LFS file to its CDN) */
    public static HttpClient defaultClient() {
        return HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30))
                .build();
    }

    /**
     * What a finished download produced.
     *
     * @param size     bytes in the file
     * @param sha256   lower-case hex SHA-256 of the file
     * @param verified true when the hash was checked against an expected value (caller's or server's)
     */
    public record Result(long size, String sha256, boolean verified) {
    }

    /**
     * Downloads {@code url} into {@code part}, resuming from what {@code part} already holds.
     *
     * @param url            the file URL
     * @param part           the partial file; created if missing, left in place if the download fails
     * @param expectedSha256 lower-case hex, or {@code null} to use the server's announced hash if any
     * @param label          what to call the download in messages and on the progress bar
     * @param progress       receives byte counts
     * @return size and hash of the complete part file
     * @throws ModelNotFoundException     when the server answers 404
     * @throws ChecksumMismatchException  when the bytes do not match (the part is deleted)
     * @throws DownloadException          on other HTTP errors or when the attempts run out (the part stays)
     */
    public Result download(URI url, Path part, String expectedSha256, String label, ProgressListener progress) {
        PartFile file = PartFile.open(part);
        String expected = expectedSha256;
        IOException lastFailure = null;
        try {
            for (int attempt = 1; attempt <= maxAttempts; attempt++) {
                if (attempt > 1) {
                    pause();
                }
                HttpResponse<InputStream> response;
                try {
                    response = send(url, file.size(), label);
                } catch (IOException e) {
                    lastFailure = e;
                    continue;
                }
                if (expected == null) {
                    expected = announcedSha256(response).orElse(null);
                }
                Transfer transfer;
                try {
                    transfer = plan(response, file.size(), label);
                } catch (IOException serverTrouble) {
                    lastFailure = serverTrouble;
                    continue;
                }
                if (transfer.restart()) {
                    file.truncate();
                }
                if (transfer.refetch()) {
                    // Not a failure: the part is gone now, so the next request has no Range and cannot land here again.
                    attempt--;
                    continue;
                }
                if (transfer.complete()) {
                    lastFailure = null;
                    break;
                }
                if (transfer.total() > 0) {
                    file.requireSpaceFor(transfer.total() - file.size(), label);
                }
                progress.start(label, transfer.total(), file.size());
                try (StallWatch watch = StallWatch.start(response.body(), stallTimeout)) {
                    try {
                        file.append(response.body(), done -> {
                            watch.progressed();
                            progress.update(done);
                        });
                    } catch (IOException e) {
                        lastFailure = watch.stalled()
                                ? new IOException("no data for " + stallTimeout.toSeconds() + " s", e) : e;
                        continue;
                    }
                }
                if (transfer.total() < 0 || file.size() == transfer.total()) {
                    lastFailure = null;
                    break;
                }
                lastFailure = new IOException("the body ended after " + file.size() + " of " + transfer.total()
                        + " bytes");
            }
        } finally {
            progress.finish();
        }
        if (lastFailure != null) {
            throw new DownloadException("download of " + label + " from " + url + " failed after " + maxAttempts
                    + " attempts (" + lastFailure + "); " + file.size() + " bytes are kept in " + part
                    + ", run the same pull again to resume", lastFailure);
        }
        String actual = file.sha256();
        if (expected != null && !expected.equals(actual)) {
            file.delete();
            throw new ChecksumMismatchException(url.toString(), expected, actual);
        }
        return new Result(file.size(), actual, expected != null);
    }

    /**
     * How to treat one response.
     *
     * @param restart  discard the part and start from byte 0
     * @param refetch  this response carries no body to use: ask again (after a restart)
     * @param complete nothing more to fetch
     * @param total    the file's full size, or -1 when the server does not say
     */
    private record Transfer(boolean restart, boolean refetch, boolean complete, long total) {
    }

    /** @throws IOException for answers worth retrying: 429 and 5xx */
    private static Transfer plan(HttpResponse<InputStream> response, long have, String label) throws IOException {
        int status = response.statusCode();
        HttpHeaders headers = response.headers();
        switch (status) {
            case 200 -> {
                long length = headers.firstValueAsLong("Content-Length").orElse(-1);
                return new Transfer(have > 0, false, false, length);
            }
            case 206 -> {
                Matcher m = CONTENT_RANGE.matcher(headers.firstValue("Content-Range").orElse(""));
                if (!m.find() || Long.parseLong(m.group(1)) != have) {
                    throw new DownloadException("the server answered range request 'bytes=" + have + "-' for " + label
                            + " with Content-Range '" + headers.firstValue("Content-Range").orElse("") + "'; delete "
                            + "the .part file and pull again");
                }
                return new Transfer(false, false, false, m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3)));
            }
            case 416 -> {
                drain(response);
                Matcher m = UNSATISFIED_RANGE.matcher(headers.firstValue("Content-Range").orElse(""));
                boolean alreadyComplete = m.find() && Long.parseLong(m.group(1)) == have;
                // Otherwise the part is longer than the file (it changed upstream): start over.
                return new Transfer(!alreadyComplete, !alreadyComplete, alreadyComplete, have);
            }
            case 404 -> {
                drain(response);
                throw new ModelNotFoundException(label + " was not found at " + response.request().uri()
                        + " (HTTP 404); check the name (r1j pull --help lists the aliases)");
            }
            case 401, 403 -> {
                drain(response);
                throw new DownloadException(label + " at " + response.request().uri() + " needs access rights (HTTP "
                        + status + "); the repository may be gated or private, download the file in a browser and "
                        + "pass its path with -m");
            }
            case 429, 500, 502, 503, 504 -> {
                drain(response);
                throw new IOException("HTTP " + status + " from " + response.request().uri());
            }
            default -> {
                drain(response);
                throw new DownloadException("downloading " + label + " from " + response.request().uri()
                        + " failed with HTTP " + status + "; try again later");
            }
        }
    }

    private HttpResponse<InputStream> send(URI url, long have, String label) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).GET().header("User-Agent", USER_AGENT);
        if (have > 0) {
            request.header("Range", "bytes=" + have + "-");
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DownloadException("download of " + label + " interrupted; pull again to resume", e);
        }
    }

    /** Hugging Face puts an LFS file's SHA-256 in {@code X-Linked-Etag} on the resolve response (the redirect). */
    static Optional<String> announcedSha256(HttpResponse<?> response) {
        for (HttpResponse<?> r = response; r != null; r = r.previousResponse().orElse(null)) {
            Optional<String> etag = r.headers().firstValue("X-Linked-Etag");
            if (etag.isPresent()) {
                String value = etag.get().replace("W/", "").replace("\"", "").strip();
                try {
                    return Optional.of(ModelSource.normalizeSha256(value));
                } catch (IllegalArgumentException notASha) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private void pause() {
        try {
            Thread.sleep(retryDelay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DownloadException("download interrupted; pull again to resume", e);
        }
    }

    private static void drain(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException ignored) {
            // The body of an error response carries nothing we use; a broken one changes nothing.
        }
    }

}
