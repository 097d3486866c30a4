package r1j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS with {@code --tls-cert}/{@code --tls-key}: a self-signed certificate made by the JDK's keytool, written out as
 * the PEM files a user would pass, served over HTTP/2 and HTTP/1.1, and trusted by a client that knows only that
 * certificate.
 */
class TlsTest {

    private static final char[] PASSWORD = "changeit".toCharArray();

    @Test
    void pemCertificateAndKey_serveHttps_toAClientTrustingThatCertificate(@TempDir Path dir) throws Exception {
        Path p12 = dir.resolve("self.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "r1j", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", p12.toString(), "-storepass", new String(PASSWORD)).redirectErrorStream(true).start();
        String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(out).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            store.load(in, PASSWORD);
        }
        Certificate cert = store.getCertificate("r1j");
        Path certPem = dir.resolve("cert.pem");
        Path keyPem = dir.resolve("key.pem");
        Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()));
        Files.writeString(keyPem, pem("PRIVATE KEY", store.getKey("r1j", PASSWORD).getEncoded()));

        try (TestServers servers = TestServers.start(TestServers.options(), TestServers.config().withTls(certPem, keyPem))) {
            assertThat(servers.baseUrl()).startsWith("https://");
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("r1j", cert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            HttpRequest chat = HttpRequest.newBuilder(URI.create(servers.baseUrl() + "/api/chat"))
                    .header("Authorization", "Bearer " + TestServers.KEY)
                    .POST(HttpRequest.BodyPublishers.ofString("""
                            {"model":"m","messages":[{"role":"user","content":"hi"}],"options":{"num_predict":3}}"""))
                    .build();
            // ALPN: a client that speaks HTTP/2 gets it; one that speaks only HTTP/1.1 gets that. Both stream.
            for (HttpClient.Version version : HttpClient.Version.values()) {
                HttpClient https = HttpClient.newBuilder().sslContext(ssl).version(version).build();
                HttpResponse<String> r = https.send(chat, HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.version()).isEqualTo(version);
                assertThat(r.body().lines().toList().getLast()).contains("\"done\":true");
            }
            // A client that does not trust the certificate is refused by the handshake.
            HttpClient untrusting = HttpClient.newHttpClient();
            assertThatThrownBy(() -> untrusting.send(HttpRequest.newBuilder(URI.create(servers.baseUrl() + "/health"))
                    .build(), HttpResponse.BodyHandlers.ofString())).isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
        }
    }

    @Test
    void pkcs1Key_isRefusedWithTheCommandThatConvertsIt(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("key.pem");
        Files.writeString(key, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        Path cert = dir.resolve("cert.pem");
        Files.writeString(cert, "not a certificate");
        assertThatThrownBy(() -> PemKeyStore.load(cert, key, PASSWORD)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--tls-key").hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
