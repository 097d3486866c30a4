package r1j.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The only class that touches the HTTP library: Jetty 12's core {@link Handler} API (no servlets), each request
 * handled on its own virtual thread: HTTP/1.1 over plain TCP, or TLS with HTTP/2 offered by ALPN and HTTP/1.1 as the
 * fallback.
 *
 * <p>It reads the body up to {@code maxBodyBytes} (a larger declared or actual body is answered 413 and the connection
 * closed, so a client cannot make the server buffer more; up to 16 MiB of the excess is read and dropped first, so
 * that the client, still sending, is not reset before it reads the 413) and hands an {@link Exchange} to the handler. Slow clients
 * cost a parked virtual thread, not a platform thread. A client gets {@code requestTimeout} to send its whole body
 * (a scheduled task closes the connection when it is late, however steadily the bytes trickle in), and a connection on
 * which nothing moves for {@code idleTimeout} (a keep-alive connection between requests, stalled headers) is closed by
 * Jetty's idle timeout. Jetty fails a request on an idle timeout only while a read or a write of it is
 * pending, so a long non-streamed answer that the server is still computing is not cut (LimitsTest checks this). Shutdown is graceful: {@link #stop} stops accepting and
 * waits for running requests up to its limit.
 */
final class HttpTransport implements AutoCloseable {

    private final Server server;
    private final ServerConnector connector;
    /** Bytes of a too-large body read and dropped before the 413, so that the client sees it (see discard). */
    private static final long DISCARD_LIMIT = 16L << 20;

    private final int maxBodyBytes;
    private final long requestTimeoutMillis;
    private final int boundPort;

    /**
     * Binds {@code host:port} (port 0 picks a free one) and starts serving {@code handler}; with {@code tls} non-null
     * the port speaks HTTPS only.
     *
     * @throws IOException when the address cannot be bound
     */
    HttpTransport(String host, int port, int maxBodyBytes, Duration requestTimeout, Duration idleTimeout, KeyStore tls,
                  char[] tlsPassword, Consumer<Exchange> handler) throws IOException {
        this.maxBodyBytes = maxBodyBytes;
        this.requestTimeoutMillis = requestTimeout.toMillis();
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("r1j-http");
        // Jetty runs blocking handlers on these; its selectors stay on the few platform threads of the pool.
        threads.setVirtualThreadsExecutor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("r1j-http-", 0).factory()));
        this.server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        if (tls == null) {
            connector = new ServerConnector(server, new HttpConnectionFactory(http));
        } else {
            http.addCustomizer(new SecureRequestCustomizer(false));
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStore(tls);
            ssl.setKeyStorePassword(new String(tlsPassword));
            ssl.setCipherComparator(HTTP2Cipher.COMPARATOR); // HTTP/2's cipher blacklist last
            // HTTPS offers HTTP/2 by ALPN (browsers, curl, the JDK client take it) and falls back to HTTP/1.1.
            HttpConnectionFactory h1 = new HttpConnectionFactory(http);
            HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(http);
            h2.setStreamIdleTimeout(idleTimeout.toMillis());
            ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory(h2.getProtocol(), h1.getProtocol());
            alpn.setDefaultProtocol(h1.getProtocol());
            connector = new ServerConnector(server, new SslConnectionFactory(ssl, alpn.getProtocol()), alpn, h2, h1);
        }
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(idleTimeout.toMillis());
        connector.setAcceptQueueSize(1024);
        server.addConnector(connector);
        server.setHandler(new GracefulHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                serve(request, response, callback, handler);
                return true;
            }
        }));
        try {
            server.start();
        } catch (IOException e) {
            stopQuietly();
            throw e;
        } catch (Exception e) {
            stopQuietly();
            throw new IOException("the HTTP server did not start: " + e.getMessage(), e);
        }
        // Kept: Jetty forgets the port once the connector closes, and callers still name the address then.
        this.boundPort = connector.getLocalPort();
    }

    /** The bound port. */
    int port() {
        return boundPort;
    }

    /** Stops accepting connections and waits up to {@code seconds} for running requests to end, then closes all. */
    void stop(int seconds) {
        server.setStopTimeout(TimeUnit.SECONDS.toMillis(seconds));
        stopQuietly();
    }

    @Override
    public void close() {
        stop(0);
    }

    private void stopQuietly() {
        try {
            server.stop();
        } catch (Exception e) {
            // Stopping is best effort: the listener is closed either way, and open streams are cut.
        }
    }

    private void serve(Request request, Response response, Callback callback, Consumer<Exchange> handler) {
        JettyExchange exchange = new JettyExchange(request, response, new byte[0]);
        try {
            byte[] body;
            try {
                body = readBody(request);
            } catch (ApiException tooLarge) {
                exchange.respond(tooLarge.status(), "application/json", ErrorBody.json(tooLarge), "Connection", "close");
                callback.succeeded();
                return;
            }
            handler.accept(new JettyExchange(request, response, body));
            callback.succeeded();
        } catch (IOException e) {
            // The client went away (or the body deadline cut it): nothing left to tell it, and nothing worth a
            // warning with a stack trace in the log (Jetty logs an EofException quietly).
            callback.failed(e instanceof EofException eof ? eof : new EofException(e));
        } catch (RuntimeException e) {
            callback.failed(e);
        }
    }

    private byte[] readBody(Request request) throws IOException {
        long declared = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        if (declared > maxBodyBytes + DISCARD_LIMIT) {
            throw tooLarge();
        }
        if (declared == 0) {
            return new byte[0];
        }
        // A client that trickles its body in gets requestTimeout for all of it, not per byte. Over HTTP/2 the
        // connection carries other requests too, so there the stream idle timeout guards the body instead.
        Scheduler.Task deadline = null;
        if (request.getConnectionMetaData().getHttpVersion() != HttpVersion.HTTP_2) {
            EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
            deadline = server.getScheduler().schedule(endPoint::close, requestTimeoutMillis, TimeUnit.MILLISECONDS);
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            if (declared > maxBodyBytes) {
                discard(in, buf);
                throw tooLarge();
            }
            int n;
            while ((n = in.read(buf)) > 0) {
                if (out.size() + n > maxBodyBytes) {
                    discard(in, buf);
                    throw tooLarge();
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } finally {
            if (deadline != null) {
                deadline.cancel();
            }
        }
    }

    /**
     * Reads and drops the rest of a rejected body, up to {@link #DISCARD_LIMIT} bytes. Closing a connection while the
     * client is still sending makes the kernel answer with a reset, and the client then loses the 413 it was sent;
     * draining first lets it read the answer (a body beyond the limit is cut, reset or not).
     */
    private static void discard(InputStream in, byte[] buf) throws IOException {
        long dropped = 0;
        int n;
        while (dropped < DISCARD_LIMIT && (n = in.read(buf)) > 0) {
            dropped += n;
        }
    }

    private ApiException tooLarge() {
        return new ApiException(413, "invalid_request_error", null, "request_too_large",
                "request body exceeds %d bytes; send a smaller request or raise --max-body".formatted(maxBodyBytes));
    }

    /** {@link Exchange} over a Jetty request and response. */
    private record JettyExchange(Request request, Response response, byte[] body) implements Exchange {

        @Override
        public String method() {
            return request.getMethod();
        }

        @Override
        public String path() {
            return request.getHttpURI().getPath();
        }

        @Override
        public String header(String name) {
            return request.getHeaders().get(name);
        }

        @Override
        public void respond(int status, String contentType, byte[] bytes, String... extraHeaders) throws IOException {
            headers(status, contentType, extraHeaders);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
            try (OutputStream out = Content.Sink.asOutputStream(response)) {
                out.write(bytes);
            }
        }

        @Override
        public OutputStream stream(int status, String contentType, String... extraHeaders) throws IOException {
            headers(status, contentType, extraHeaders);
            OutputStream out = Content.Sink.asOutputStream(response);
            // Commit the headers now, so the client sees the status before the first event.
            out.flush();
            return out;
        }

        private void headers(int status, String contentType, String[] extra) {
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
            for (int i = 0; i + 1 < extra.length; i += 2) {
                response.getHeaders().put(extra[i], extra[i + 1]);
            }
        }
    }
}
