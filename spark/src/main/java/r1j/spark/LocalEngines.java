package r1j.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import r1j.engine.Engine;

/**
 * One engine per model file per executor JVM: the file is memory-mapped once and every task of the executor submits
 * into the same engine, whose scheduler batches them together. Closed when the JVM exits.
 */
final class LocalEngines {

    private static final Map<BatchSettings, Engine> ENGINES = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(LocalEngines::closeAll));
    }

    private LocalEngines() {}

    /** The executor's engine for these settings' model and engine options, loaded on first use. */
    static Engine of(BatchSettings settings) {
        BatchSettings key = new BatchSettings(settings.model(), java.util.List.of(), null, null, settings.parallel(),
                settings.contextSize(), settings.threads(), 0f, 1f, -1L, -1, -1, null);
        return ENGINES.computeIfAbsent(key, k -> {
            try {
                return Engine.load(Path.of(k.model()), k.engineOptions());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load model " + k.model() + ": " + e.getMessage(), e);
            }
        });
    }

    /** Closes every engine of this JVM (tests; the shutdown hook). */
    static void closeAll() {
        ENGINES.values().forEach(Engine::close);
        ENGINES.clear();
    }
}
