package r1j.server;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The only class that touches the HTTP library: the JDK's {@code HttpServer}, one virtual thread per exchange.
 *
 * <p>It reads the body up to {@code maxBodyBytes} (a larger declared or actual body is answered 413 and the connection
 * closed, so a client cannot make the server buffer more) and hands an {@link Exchange} to the handler. Slow clients
 * cost a parked virtual thread, not a platform thread; the JDK server's own request timer (the
 * {@code sun.net.httpserver.maxReqTime} property, which {@link #configureRequestTimeout} sets once per JVM) closes
 * connections whose request line, headers and body take too long to arrive. Responses have no time limit, so long
 * streams are not cut.
 */
final class HttpTransport implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final int maxBodyBytes;

    /**
     * Binds {@code host:port} (port 0 picks a free one) and starts serving {@code handler}.
     *
     * @throws IOException when the address cannot be bound
     */
    HttpTransport(String host, int port, int maxBodyBytes, Consumer<Exchange> handler) throws IOException {
        this.maxBodyBytes = maxBodyBytes;
        this.server = HttpServer.create(new InetSocketAddress(host, port), 1024);
        server.createContext("/", ex -> serve(ex, handler));
        server.setExecutor(executor);
        server.start();
    }

    /**
     * Sets how long the JDK server lets a client take to send a request (line, headers, body) before it closes the
     * connection. The JDK reads this once, when the first server starts; later calls have no effect. Leaves a value
     * given on the command line ({@code -Dsun.net.httpserver.maxReqTime}) alone.
     */
    static void configureRequestTimeout(int seconds) {
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", Integer.toString(seconds));
        }
    }

    /** The bound port. */
    int port() {
        return server.getAddress().getPort();
    }

    /** Stops accepting connections and waits up to {@code seconds} for open exchanges to end. */
    void stop(int seconds) {
        server.stop(seconds);
        executor.shutdownNow();
    }

    @Override
    public void close() {
        stop(0);
    }

    private void serve(HttpExchange ex, Consumer<Exchange> handler) {
        try (ex) {
            byte[] body;
            try {
                body = readBody(ex);
            } catch (ApiException tooLarge) {
                ex.getResponseHeaders().set("Connection", "close");
                new JdkExchange(ex, new byte[0]).respond(tooLarge.status(), "application/json", ErrorBody.json(tooLarge));
                return;
            }
            handler.accept(new JdkExchange(ex, body));
        } catch (IOException e) {
            // The client went away; nothing left to tell it.
        }
    }

    private byte[] readBody(HttpExchange ex) throws IOException {
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                throw ApiException.badRequest(null, "Content-Length '" + declared + "' is not a number");
            }
            if (length > maxBodyBytes) {
                throw tooLarge();
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try (InputStream in = ex.getRequestBody()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                if (out.size() + n > maxBodyBytes) {
                    throw tooLarge();
                }
                out.write(buf, 0, n);
            }
        }
        return out.toByteArray();
    }

    private ApiException tooLarge() {
        return new ApiException(413, "invalid_request_error", null, "request_too_large",
                "request body exceeds %d bytes; send a smaller request or raise --max-body".formatted(maxBodyBytes));
    }

    /** {@link Exchange} over a JDK {@link HttpExchange}. */
    private record JdkExchange(HttpExchange ex, byte[] body) implements Exchange {

        @Override
        public String method() {
            return ex.getRequestMethod();
        }

        @Override
        public String path() {
            return ex.getRequestURI().getPath();
        }

        @Override
        public String header(String name) {
            return ex.getRequestHeaders().getFirst(name);
        }

        @Override
        public void respond(int status, String contentType, byte[] bytes, String... extraHeaders) throws IOException {
            headers(contentType, extraHeaders);
            ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }

        @Override
        public OutputStream stream(int status, String contentType, String... extraHeaders) throws IOException {
            headers(contentType, extraHeaders);
            ex.sendResponseHeaders(status, 0);
            return ex.getResponseBody();
        }

        private void headers(String contentType, String[] extra) {
            Headers h = ex.getResponseHeaders();
            h.set("Content-Type", contentType);
            for (int i = 0; i + 1 < extra.length; i += 2) {
                h.set(extra[i], extra[i + 1]);
            }
        }
    }
}
