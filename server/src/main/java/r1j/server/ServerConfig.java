package r1j.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the server listens and what it accepts.
 *
 * @param host               address to bind ({@code 127.0.0.1} keeps it local)
 * @param port               TCP port; 0 picks a free one (tests)
 * @param apiKey             the bearer token clients must send, or null for no authentication
 * @param modelId            the model's name in {@code /v1/models} and in responses
 * @param maxBodyBytes       largest request body accepted; larger ones get 413
 * @param requestTimeout     how long a client may take to send a request body before its connection is closed
 * @param idleTimeout        how long a connection may carry nothing (between requests, or stalled in the headers)
 *                           before it is closed; a request the server is still answering is never idle
 * @param shutdownGrace      how long shutdown lets running requests finish before cancelling them
 * @param tlsCertificate     PEM certificate chain for HTTPS, or null for plain HTTP (set together with tlsKey)
 * @param tlsKey             PEM PKCS#8 private key of the certificate, or null
 */
public record ServerConfig(String host, int port, String apiKey, String modelId, int maxBodyBytes,
                           Duration requestTimeout, Duration idleTimeout, Duration shutdownGrace, Path tlsCertificate,
                           Path tlsKey) {

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(modelId, "modelId");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port %d is out of range [0, 65535]".formatted(port));
        }
        if (apiKey != null && apiKey.isBlank()) {
            throw new IllegalArgumentException("the API key is empty; pass a non-empty --api-key or none");
        }
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("max body %d bytes is too small; allow at least 1024".formatted(maxBodyBytes));
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero() || idleTimeout.isNegative() || idleTimeout.isZero()
                || shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if ((tlsCertificate == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("TLS needs both --tls-cert and --tls-key (PEM files), or neither");
        }
    }

    /** Whether the server speaks HTTPS. */
    public boolean tls() {
        return tlsCertificate != null;
    }

    /** Loopback on 8080, no key, 8 MiB bodies, 30 s to send a request body, 30 s idle, 10 s shutdown grace, no TLS. */
    public static ServerConfig defaults(String modelId) {
        return new ServerConfig("127.0.0.1", 8080, null, modelId, 8 << 20, Duration.ofSeconds(30), Duration.ofSeconds(30),
                Duration.ofSeconds(10), null, null);
    }

    public ServerConfig withPort(int p) {
        return new ServerConfig(host, p, apiKey, modelId, maxBodyBytes, requestTimeout, idleTimeout, shutdownGrace, tlsCertificate, tlsKey);
    }

    public ServerConfig withHost(String h) {
        return new ServerConfig(h, port, apiKey, modelId, maxBodyBytes, requestTimeout, idleTimeout, shutdownGrace, tlsCertificate, tlsKey);
    }

    public ServerConfig withApiKey(String key) {
        return new ServerConfig(host, port, key, modelId, maxBodyBytes, requestTimeout, idleTimeout, shutdownGrace, tlsCertificate, tlsKey);
    }

    public ServerConfig withMaxBodyBytes(int bytes) {
        return new ServerConfig(host, port, apiKey, modelId, bytes, requestTimeout, idleTimeout, shutdownGrace, tlsCertificate, tlsKey);
    }

    public ServerConfig withRequestTimeout(Duration d) {
        return new ServerConfig(host, port, apiKey, modelId, maxBodyBytes, d, idleTimeout, shutdownGrace, tlsCertificate, tlsKey);
    }

    public ServerConfig withIdleTimeout(Duration d) {
        return new ServerConfig(host, port, apiKey, modelId, maxBodyBytes, requestTimeout, d, shutdownGrace, tlsCertificate, tlsKey);
    }

    public ServerConfig withShutdownGrace(Duration d) {
        return new ServerConfig(host, port, apiKey, modelId, maxBodyBytes, requestTimeout, idleTimeout, d, tlsCertificate, tlsKey);
    }

    /** Serves HTTPS with the PEM certificate chain and PKCS#8 key; both null for plain HTTP. */
    public ServerConfig withTls(Path certificate, Path key) {
        return new ServerConfig(host, port, apiKey, modelId, maxBodyBytes, requestTimeout, idleTimeout, shutdownGrace, certificate, key);
    }
}
