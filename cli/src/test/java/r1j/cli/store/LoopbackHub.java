package r1j.cli.store;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP server on loopback that behaves like the Hugging Face hub for the store's tests:
 * {@code /owner/repo/resolve/main/FILE} answers 302 to {@code /cdn/FILE} with the file's SHA-256 in
 * {@code X-Linked-Etag} (as the hub does for LFS files), and {@code /cdn/FILE} serves the bytes with range support.
 * Faults are switched on per test: cut the connection after N body bytes, ignore ranges, announce a wrong hash.
 */
public final class LoopbackHub implements AutoCloseable {

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private final HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    /** The Range header of every request to the CDN path, "" when there was none. */
    public final List<String> rangeRequests = new CopyOnWriteArrayList<>();
    /** How many upcoming CDN responses are cut after {@link #cutAfterBytes} body bytes. */
    public final AtomicInteger cutsLeft = new AtomicInteger();
    public volatile long cutAfterBytes;
    public volatile boolean ignoreRanges;
    public volatile String announcedSha256Override;
    /** How many upcoming CDN responses send {@link #cutAfterBytes} bytes and then hang instead of closing. */
    public final AtomicInteger stallsLeft = new AtomicInteger();
    private final CountDownLatch closing = new CountDownLatch(1);

    /** Starts the server on a free loopback port. */
    public LoopbackHub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** @return the base URL to use as the hub endpoint */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Serves {@code bytes} at {@code /repoPath/resolve/main/fileName}. */
    public void put(String repoPath, String fileName, byte[] bytes) {
        files.put("/" + repoPath + "/resolve/main/" + fileName, bytes);
        files.put("/cdn/" + fileName, bytes);
    }

    /** @return lower-case hex SHA-256 of {@code bytes} */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            byte[] body = files.get(path);
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (!path.startsWith("/cdn/")) {
                redirectToCdn(exchange, path, body);
                return;
            }
            serve(exchange, body);
        }
    }

    private void redirectToCdn(HttpExchange exchange, String path, byte[] body) throws IOException {
        String sha = announcedSha256Override != null ? announcedSha256Override : sha256(body);
        exchange.getResponseHeaders().add("Location", "/cdn/" + path.substring(path.lastIndexOf('/') + 1));
        exchange.getResponseHeaders().add("X-Linked-Etag", "\"" + sha + "\"");
        exchange.getResponseHeaders().add("X-Linked-Size", Long.toString(body.length));
        exchange.sendResponseHeaders(302, -1);
    }

    private void serve(HttpExchange exchange, byte[] body) throws IOException {
        String range = exchange.getRequestHeaders().getFirst("Range");
        rangeRequests.add(range == null ? "" : range);
        int from = 0;
        Matcher m = RANGE.matcher(range == null ? "" : range);
        if (m.matches() && !ignoreRanges) {
            from = Integer.parseInt(m.group(1));
            if (from >= body.length) {
                exchange.getResponseHeaders().add("Content-Range", "bytes */" + body.length);
                exchange.sendResponseHeaders(416, -1);
                return;
            }
            exchange.getResponseHeaders().add("Content-Range",
                    "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
            exchange.sendResponseHeaders(206, body.length - from);
        } else {
            exchange.sendResponseHeaders(200, body.length);
        }
        int length = body.length - from;
        boolean cut = cutsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        boolean stall = !cut && stallsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        OutputStream out = exchange.getResponseBody();
        if (stall) {
            out.write(body, from, (int) Math.min(cutAfterBytes, length));
            out.flush();
            try {
                // Hang with the connection open, as a stuck CDN node does, until the test ends.
                closing.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        if (cut) {
            out.write(body, from, (int) Math.min(cutAfterBytes, length));
            out.flush();
            // Closing before the announced length was written drops the connection: the client sees a cut transfer.
            return;
        }
        out.write(body, from, length);
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
    }
}
