package r1j.server;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds an in-memory key store from PEM files as certbot, openssl and most CAs write them: a certificate chain
 * ({@code -----BEGIN CERTIFICATE-----}, leaf first) and an unencrypted PKCS#8 private key
 * ({@code -----BEGIN PRIVATE KEY-----}, RSA, EC or Ed25519). Only JDK APIs; the JDK's own PEM API is still a preview.
 */
final class PemKeyStore {

    private static final Pattern PRIVATE_KEY = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    private PemKeyStore() {
    }

    /**
     * A key store holding the key and its chain under alias {@code r1j}, protected by {@code password}.
     *
     * @throws IllegalArgumentException when a file cannot be read, is not what it should be, or key and certificate
     *                                  do not fit; the message names the option and what to do
     */
    static KeyStore load(Path certificatePem, Path privateKeyPem, char[] password) {
        PrivateKey key = privateKey(privateKeyPem);
        List<? extends Certificate> chain = certificates(certificatePem);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("r1j", key, password, chain.toArray(Certificate[]::new));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("the key in " + privateKeyPem + " does not match the certificate in "
                    + certificatePem + ": " + e.getMessage(), e);
        }
    }

    private static byte[] read(Path file, String option) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + option + " " + file + ": " + e, e);
        }
    }

    private static List<? extends Certificate> certificates(Path pem) {
        byte[] bytes = read(pem, "--tls-cert");
        try {
            List<? extends Certificate> chain = List.copyOf(
                    CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes)));
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("--tls-cert " + pem + " holds no certificate; give a PEM file with "
                        + "-----BEGIN CERTIFICATE----- blocks");
            }
            return chain;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("--tls-cert " + pem + " is not a PEM certificate chain: " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(Path pem) {
        String text = new String(read(pem, "--tls-key"), StandardCharsets.US_ASCII);
        Matcher m = PRIVATE_KEY.matcher(text);
        if (!m.find()) {
            String hint = text.contains("BEGIN RSA PRIVATE KEY") || text.contains("BEGIN EC PRIVATE KEY")
                    ? "; convert it to PKCS#8 with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem"
                    : text.contains("BEGIN ENCRYPTED PRIVATE KEY") ? "; the key is encrypted: decrypt it with openssl pkcs8 -nocrypt" : "";
            throw new IllegalArgumentException("--tls-key " + pem + " holds no unencrypted PKCS#8 key "
                    + "(-----BEGIN PRIVATE KEY-----)" + hint);
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(1));
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException wrongAlgorithm) {
                // Try the next one: PKCS#8 names the algorithm inside, but KeyFactory wants it up front.
            }
        }
        throw new IllegalArgumentException("--tls-key " + pem + " is not an RSA, EC or EdDSA private key");
    }
}
