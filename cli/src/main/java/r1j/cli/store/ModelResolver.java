package r1j.cli.store;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Turns the argument of a {@code -m MODEL} option into a file: an existing path wins; else a model name found in
 * the store (or the bare GGUF file name of a stored model); else a {@link ModelNotFoundException} saying what to do.
 * Every command that takes a model calls {@link #resolve(String)}.
 */
public final class ModelResolver {

    private final ModelStore store;

    /** @param store the store names are looked up in */
    public ModelResolver(ModelStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * Resolves {@code model} against the store of this process's environment ({@code R1J_HOME}).
     *
     * @param model a path to a GGUF file (or a model folder), or a stored model name such as {@code deepseek-r1:7b}
     * @return the path to load
     * @throws ModelNotFoundException when it is neither an existing path nor a stored model
     */
    public static Path resolve(String model) {
        return new ModelResolver(StoreConfig.fromSystem().store()).locate(model);
    }

    /**
     * Resolves {@code model} against this resolver's store.
     *
     * @param model a path (a leading {@code ~/} means the user's home) or a stored model name
     * @return the path to load
     * @throws ModelNotFoundException when it is neither an existing path nor a stored model
     */
    public Path locate(String model) {
        Objects.requireNonNull(model, "model");
        if (model.isBlank()) {
            throw new ModelNotFoundException("no model given; pass a GGUF path or a model name such as "
                    + ModelCatalog.FAMILY + ":" + ModelCatalog.DEFAULT_TAG);
        }
        Path path = asPath(model);
        if (path != null && Files.exists(path)) {
            return path;
        }
        if (model.equals(BuiltInModel.NAME)) {
            return locateDefault();
        }
        if (ModelCatalog.looksLikeModelName(model)) {
            return store.find(model).map(StoredModel::path).orElseThrow(() -> new ModelNotFoundException(
                    "model '" + model + "' not found in " + store.modelsDir() + "; "
                            + (ModelCatalog.isLocalName(ModelCatalog.canonicalName(model))
                            ? "`r1j create " + model + " -f FILE.gguf` gives a GGUF file that name"
                            : "run `r1j pull " + model + "`")
                            + ", or pass a path (`r1j list` shows what is stored)"));
        }
        Path bare = path == null ? null : path.getFileName();
        if (bare != null && bare.toString().equals(model)) {
            // A bare GGUF file name, as `r1j list -p` shows it, finds the stored model holding that file.
            var byFile = store.list().stream().filter(m -> m.manifest().file().equals(model)).toList();
            if (byFile.size() == 1) {
                return byFile.getFirst().path();
            }
        }
        throw new ModelNotFoundException("model '" + model + "' not found: no such file, and not a model name "
                + "(e.g. " + ModelCatalog.FAMILY + ":1.5b or owner/repo/file.gguf); pass an existing GGUF path, or "
                + "`r1j pull` a model first");
    }

    /**
     * The model to use when the user names none: the built-in tiny R1 ({@link BuiltInModel}), unpacked into the
     * store's home on first use.
     *
     * @throws ModelNotFoundException if this build has no built-in model
     */
    public Path locateDefault() {
        return BuiltInModel.file(store.home());
    }

    private static Path asPath(String model) {
        try {
            if (model.startsWith("~/")) {
                return Path.of(System.getProperty("user.home")).resolve(model.substring(2));
            }
            return Path.of(model);
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
