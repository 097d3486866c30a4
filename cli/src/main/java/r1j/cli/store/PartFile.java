package r1j.cli.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.LongConsumer;

/**
 * A partial download on disk with a running SHA-256 of exactly the bytes it holds, so a resumed download is hashed
 * without reading the finished file again. Network read failures surface as {@link IOException} (the caller retries);
 * disk failures as {@link DownloadException} (retrying would not help).
 */
final class PartFile {

    private static final int BUFFER_BYTES = 1 << 20;

    private final Path path;
    private MessageDigest sha;
    private long size;

    private PartFile(Path path) {
        this.path = path;
        this.sha = newSha256();
    }

    /** Opens {@code path}, hashing whatever an earlier run left there. */
    static PartFile open(Path path) {
        PartFile part = new PartFile(path);
        if (Files.exists(path)) {
            byte[] buffer = new byte[BUFFER_BYTES];
            try (InputStream in = Files.newInputStream(path)) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    part.sha.update(buffer, 0, n);
                    part.size += n;
                }
            } catch (IOException e) {
                throw new DownloadException("cannot read the partial download " + path + ": " + e.getMessage()
                        + "; delete it and pull again", e);
            }
        }
        return part;
    }

    /** @return bytes on disk */
    long size() {
        return size;
    }

    /** @return lower-case hex SHA-256 of the bytes on disk */
    String sha256() {
        try {
            return HexFormat.of().formatHex(((MessageDigest) sha.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new AssertionError("the JDK's SHA-256 digest is cloneable", e);
        }
    }

    /**
     * Appends everything {@code body} yields, reporting the growing size to {@code onSize}.
     *
     * @throws IOException when reading the body fails; the bytes written before stay and are counted
     */
    void append(InputStream body, LongConsumer onSize) throws IOException {
        byte[] buffer = new byte[BUFFER_BYTES];
        try (InputStream in = body; FileChannel out = openForAppend()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                write(out, buffer, n);
                sha.update(buffer, 0, n);
                size += n;
                onSize.accept(size);
            }
        }
    }

    /**
     * Fails early, before a long download, when the disk cannot hold the rest of the file.
     *
     * @param remaining bytes still to come
     * @param label     what is being downloaded, for the message
     */
    void requireSpaceFor(long remaining, String label) {
        long usable;
        try {
            usable = Files.getFileStore(path.toAbsolutePath().getParent()).getUsableSpace();
        } catch (IOException e) {
            return; // Unknown free space: let the writes find out.
        }
        checkSpace(remaining, usable, label, path);
    }

    /** @throws DownloadException when {@code remaining} bytes do not fit into {@code usable} */
    static void checkSpace(long remaining, long usable, String label, Path path) {
        if (remaining > usable) {
            throw new DownloadException(label + " needs " + ByteSizes.human(remaining) + " more but only "
                    + ByteSizes.human(usable) + " are free for " + path.toAbsolutePath().getParent()
                    + "; free some space or set R1J_HOME to a larger disk");
        }
    }

    /** Empties the file: the server will send it from the start. */
    void truncate() {
        delete();
        sha = newSha256();
        size = 0;
    }

    /** Removes the file. */
    void delete() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new DownloadException("cannot delete " + path + " (" + e.getMessage() + "); delete it by hand", e);
        }
    }

    private FileChannel openForAppend() {
        try {
            return FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new DownloadException("cannot write " + path + ": " + e.getMessage() + "; check permissions", e);
        }
    }

    private void write(FileChannel out, byte[] buffer, int n) {
        ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
        try {
            while (chunk.hasRemaining()) {
                out.write(chunk);
            }
        } catch (IOException e) {
            throw new DownloadException("cannot write " + path + ": " + e.getMessage()
                    + "; check free disk space, then pull again to resume", e);
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK provides SHA-256", e);
        }
    }
}
