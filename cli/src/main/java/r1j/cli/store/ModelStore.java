package r1j.cli.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

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
     * Deletes a model, or its partial download, from the store.
     *
     * @param name any spelling of a model name
     * @return false when the store holds nothing under that name
     * @throws ModelStoreException when a pull of that model is running, or files cannot be deleted
     */
    public boolean remove(String name) {
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
