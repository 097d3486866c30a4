package r1j.cli.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The tiny R1 that {@code r1j train --recipe tiny-r1} produces, shipped inside the jar so that {@code r1j chat},
 * {@code generate} and {@code serve} work on a fresh machine with no download. GGUF files are memory-mapped, so the
 * resource is copied once into {@code $R1J_HOME/builtin/} (named by its content hash, so a new build never reuses an
 * old copy) and loaded from there like any other file.
 */
public final class BuiltInModel {

    /** The name {@code -m} accepts for it. */
    public static final String NAME = "tiny-r1";

    /** Classpath location of the shipped GGUF. */
    public static final String RESOURCE = "/r1j/models/tiny-r1.gguf";

    private BuiltInModel() {}

    /**
     * The built-in model as a file under {@code home}, copying it there on first use.
     *
     * @throws ModelNotFoundException if this build has no built-in model
     * @throws UncheckedIOException   if it cannot be written
     */
    public static Path file(Path home) {
        byte[] bytes = bytes();
        String hash = HexFormat.of().formatHex(sha256(bytes), 0, 6);
        Path target = home.resolve("builtin").resolve(NAME + "-" + hash + ".gguf");
        try {
            if (Files.isRegularFile(target) && Files.size(target) == bytes.length) {
                return target;
            }
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), NAME, ".part");
            try {
                Files.write(tmp, bytes);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the built-in model into " + target.getParent() + ": "
                    + e.getMessage(), e);
        }
    }

    /** @return the size in bytes of the shipped GGUF, or -1 when this build has none */
    public static long size() {
        try (InputStream in = BuiltInModel.class.getResourceAsStream(RESOURCE)) {
            return in == null ? -1 : in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the built-in model: " + e.getMessage(), e);
        }
    }

    private static byte[] bytes() {
        try (InputStream in = BuiltInModel.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new ModelNotFoundException("this build has no built-in model (" + RESOURCE
                        + "); pass -m MODEL or run `r1j pull deepseek-r1:1.5b`");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the built-in model: " + e.getMessage(), e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
