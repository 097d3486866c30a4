package r1j.cli.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import r1j.gguf.GgufFile;
import r1j.gguf.GgufFormatException;

/**
 * The models on this machine: {@code <home>/models/<folder>/} per model, holding the GGUF file under its original
 * name and {@code manifest.json} ({@link ModelManifest}).
 *
 * <p>A model's folder name is its canonical name made path-safe ({@code deepseek-r1:7b} becomes
 * {@code deepseek-r1-7b}, {@code owner/repo/f.gguf} becomes {@code owner--repo--f.gguf}); the manifest keeps the
 * real name, and lookups check it. Nothing half-done carries a final name: a download grows in {@code FILE.part}
 * and is moved into place only after it verified, then the manifest is written (also via a temporary file and an
 * atomic move). A model is stored exactly when its manifest and file both exist. A lock file per folder keeps two
 * pulls (or a pull and an rm) from working on the same model at once.
 */
public final class ModelStore {

    static final String MANIFEST = "manifest.json";
    static final String PENDING = "pending.json";
    static final String PART_SUFFIX = ".part";
    private static final String LOCK = ".lock";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path home;
    private final Path modelsDir;
    private final Clock clock;

    /** @param home the r1j home folder ({@code ~/.r1j}); models go to {@code home/models} */
    public ModelStore(Path home) {
        this(home, Clock.systemUTC());
    }

    /**
     * @param home  the r1j home folder
     * @param clock source of the download timestamps
     */
    public ModelStore(Path home, Clock clock) {
        this.home = Objects.requireNonNull(home, "home");
        this.modelsDir = home.resolve("models");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** @return the folder holding one subfolder per model */
    public Path modelsDir() {
        return modelsDir;
    }

    /** @return the home folder this store lives in */
    public Path home() {
        return home;
    }

    /**
     * Finds a stored model.
     *
     * @param name any spelling of a model name ({@link ModelCatalog#canonicalName})
     * @return the model when its manifest and file are both present
     * @throws ModelStoreException when the name is not a model name
     */
    public Optional<StoredModel> find(String name) {
        String canonical = ModelCatalog.canonicalName(name);
        Path dir = folderOf(canonical);
        return readManifest(dir.resolve(MANIFEST))
                .filter(m -> m.name().equals(canonical))
                .map(m -> new StoredModel(m, dir.resolve(m.file())))
                .filter(m -> Files.isRegularFile(m.path()));
    }

    /** @return every stored model, by name */
    public List<StoredModel> list() {
        List<StoredModel> models = new ArrayList<>();
        for (Path dir : folders()) {
            readManifest(dir.resolve(MANIFEST))
                    .map(m -> new StoredModel(m, dir.resolve(m.file())))
                    .filter(m -> Files.isRegularFile(m.path()))
                    .ifPresent(models::add);
        }
        models.sort(Comparator.comparing(StoredModel::name));
        return models;
    }

    /** @return downloads that were started and have not completed, by name */
    public List<PartialDownload> partials() {
        List<PartialDownload> partials = new ArrayList<>();
        for (Path dir : folders()) {
            readManifest(dir.resolve(PENDING)).ifPresent(m -> partials.add(
                    new PartialDownload(m.name(), sizeOrZero(dir.resolve(m.file() + PART_SUFFIX)))));
        }
        partials.sort(Comparator.comparing(PartialDownload::name));
        return partials;
    }

    /**
     * Downloads a model into the store, resuming a partial download of it, and records its manifest. Replaces an
     * earlier copy only once the new one verified.
     *
     * @param source     what to download ({@link ModelCatalog#source})
     * @param downloader the HTTP side
     * @param progress   receives byte counts
     * @return the stored model
     * @throws ModelStoreException when another pull of the same model holds its lock, or the download fails
     *                             (see {@link ModelDownloader#download})
     */
    public StoredModel pull(ModelSource source, ModelDownloader downloader, ProgressListener progress) {
        Path dir = folderOf(source.name());
        createDirectories(dir);
        FileChannel lock = lock(dir, source.name(), "pulled");
        try (lock) {
            requireFolderIsFor(dir, source.name());
            writeJson(dir.resolve(PENDING), new ModelManifest(source.name(), source.fileName(), source.url().toString(),
                    -1, null, false, clock.instant().toString()));
            Path part = dir.resolve(source.fileName() + PART_SUFFIX);
            ModelDownloader.Result result = downloader.download(
                    source.url(), part, source.expectedSha256(), source.name(), progress);
            Path target = dir.resolve(source.fileName());
            move(part, target);
            ModelManifest manifest = new ModelManifest(source.name(), source.fileName(), source.url().toString(),
                    result.size(), result.sha256(), result.verified(), clock.instant().toString());
            writeJson(dir.resolve(MANIFEST), manifest);
            deleteIfExists(dir.resolve(PENDING));
            return new StoredModel(manifest, target);
        } catch (IOException e) {
            throw new ModelStoreException("cannot release the lock in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Registers a GGUF file the user already has under {@code name}, as {@code r1j create} does: the file is hard-linked
     * into the model's folder when it is on the same file system (instant, no extra space; the store never writes to
     * it), copied otherwise, and hashed; a model already stored under that name is replaced.
     *
     * @param name   a name as {@link ModelCatalog#canonicalName} accepts it, usually a local one ({@code my-r1:q8})
     * @param source the GGUF file
     * @return the stored model
     * @throws ModelStoreException when the name is taken by the built-in model or not a model name, the file is not
     *                             a valid GGUF file, or it cannot be linked, copied or hashed
     */
    public StoredModel create(String name, Path source) {
        String canonical = ModelCatalog.canonicalName(name);
        if (canonical.equals(BuiltInModel.NAME)) {
            throw new ModelStoreException("'" + BuiltInModel.NAME + "' is the built-in model's name; choose another");
        }
        requireGguf(source);
        Path dir = folderOf(canonical);
        createDirectories(dir);
        FileChannel lock = lock(dir, canonical, "created");
        try (lock) {
            requireFolderIsFor(dir, canonical);
            Optional<ModelManifest> previous = readManifest(dir.resolve(MANIFEST));
            String file = source.getFileName().toString();
            Path part = dir.resolve(file + PART_SUFFIX);
            linkOrCopy(source, part);
            String sha256 = sha256(part);
            long size = Files.size(part);
            Path target = dir.resolve(file);
            move(part, target);
            ModelManifest manifest = new ModelManifest(canonical, file, source.toAbsolutePath().toUri().toString(),
                    size, sha256, false, clock.instant().toString());
            writeJson(dir.resolve(MANIFEST), manifest);
            previous.filter(m -> !m.file().equals(file)).ifPresent(m -> deleteIfExists(dir.resolve(m.file())));
            return new StoredModel(manifest, target);
        } catch (IOException e) {
            throw new ModelStoreException("cannot store " + source + " as '" + canonical + "': " + e.getMessage(), e);
        }
    }

    /**
     * Deletes a model, or its partial download, from the store.
     *
     * @param name any spelling of a model name
     * @return false when the store holds nothing under that name
     * @throws ModelStoreException when a pull of that model is running, or files cannot be deleted
     */
    public boolean remove(String name) {
        if (name.strip().equals(BuiltInModel.NAME)) {
            throw new ModelStoreException("'" + BuiltInModel.NAME + "' is built into r1j and cannot be removed");
        }
        String canonical = ModelCatalog.canonicalName(name);
        Path dir = folderOf(canonical);
        boolean held = readManifest(dir.resolve(MANIFEST)).or(() -> readManifest(dir.resolve(PENDING)))
                .filter(m -> m.name().equals(canonical)).isPresent();
        if (!held) {
            return false;
        }
        FileChannel lock = lock(dir, canonical, "removed");
        try (lock) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(f -> !f.getFileName().toString().equals(LOCK)).toList()) {
                    Files.delete(f);
                }
            }
        } catch (IOException e) {
            throw new ModelStoreException("cannot delete " + dir + ": " + e.getMessage() + "; delete it by hand", e);
        }
        deleteIfExists(dir.resolve(LOCK));
        deleteIfExists(dir);
        return true;
    }

    /** @return the folder a model with this canonical name lives in */
    Path folderOf(String canonicalName) {
        String folder = canonicalName.replace("/", "--").replace(":", "-");
        return modelsDir.resolve(folder);
    }

    private List<Path> folders() {
        if (!Files.isDirectory(modelsDir)) {
            return List.of();
        }
        List<Path> dirs = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(modelsDir, Files::isDirectory)) {
            stream.forEach(dirs::add);
        } catch (IOException e) {
            throw new ModelStoreException("cannot list " + modelsDir + ": " + e.getMessage(), e);
        }
        return dirs;
    }

    /** Two names that make the same folder name (possible only with odd Hugging Face file names) must not mix. */
    private void requireFolderIsFor(Path dir, String name) {
        Optional<ModelManifest> other = readManifest(dir.resolve(MANIFEST)).or(() -> readManifest(dir.resolve(PENDING)))
                .filter(m -> !m.name().equals(name));
        if (other.isPresent()) {
            throw new ModelStoreException("the store folder " + dir + " already holds '" + other.get().name()
                    + "', whose folder name clashes with '" + name + "'; run `r1j rm " + other.get().name()
                    + "` first");
        }
    }

    /**
     * Locks a model folder; closing the returned channel releases the lock.
     *
     * @throws ModelStoreException when another process (or thread) holds it, or the lock file cannot be opened
     */
    private static FileChannel lock(Path dir, String name, String verb) {
        FileChannel channel;
        FileLock lock;
        try {
            channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new ModelStoreException("cannot open the lock file in " + dir + ": " + e.getMessage(), e);
        }
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            lock = null;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new ModelStoreException("cannot lock " + dir + ": " + e.getMessage(), e);
        }
        if (lock == null) {
            closeQuietly(channel);
            throw new ModelStoreException("'" + name + "' cannot be " + verb + " now: another r1j process is pulling "
                    + "it; wait for it to finish or stop it");
        }
        return channel;
    }

    /** Opens the file as GGUF (header, metadata, tensor table), so a wrong file is refused before it is stored. */
    private static void requireGguf(Path source) {
        if (!Files.isRegularFile(source)) {
            throw new ModelStoreException("no such file: " + source + "; pass the GGUF file with -f");
        }
        try (GgufFile ignored = GgufFile.open(source)) {
            // Readable and well-formed.
        } catch (GgufFormatException e) {
            throw new ModelStoreException(source + " is not a usable GGUF model: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ModelStoreException("cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    private static void linkOrCopy(Path source, Path target) throws IOException {
        Files.deleteIfExists(target);
        try {
            Files.createLink(target, source.toRealPath());
        } catch (IOException | UnsupportedOperationException e) {
            // Another file system (or links not allowed): a copy it is.
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing was locked through it.
        }
    }

    private static Optional<ModelManifest> readManifest(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), ModelManifest.class));
        } catch (IOException e) {
            throw new ModelStoreException("the store file " + file + " is unreadable (" + e.getMessage()
                    + "); remove that model's folder and pull it again", e);
        }
    }

    private static void writeJson(Path file, ModelManifest manifest) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            JSON.writeValue(tmp.toFile(), manifest);
            move(tmp, file);
        } catch (IOException e) {
            throw new ModelStoreException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void move(Path from, Path to) {
        try {
            try {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new ModelStoreException("cannot move " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ModelStoreException("cannot create " + dir + ": " + e.getMessage()
                    + "; set R1J_HOME to a writable folder", e);
        }
    }

    private static void deleteIfExists(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new ModelStoreException("cannot delete " + path + ": " + e.getMessage() + "; delete it by hand", e);
        }
    }

    private static long sizeOrZero(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
