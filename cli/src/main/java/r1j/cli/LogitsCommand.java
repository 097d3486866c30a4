package r1j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import r1j.cli.store.ModelResolver;
import r1j.cli.store.ModelStoreException;
import r1j.model.Batch;
import r1j.model.LanguageModel;
import r1j.model.ModelLoadException;
import r1j.model.ModelLoader;

/**
 * {@code r1j logits -m FILE --tokens 1,2,3 -o out.f32}: the logits of every position of a token sequence, evaluated
 * in one batch, written as little-endian float32 {@code [n_tokens][n_vocab]} (the layout of llama.cpp goldens).
 */
@Command(name = "logits", mixinStandardHelpOptions = true,
        description = "Write the logits of every position of a token sequence (one batch) as little-endian float32 [n_tokens][n_vocab].")
public final class LogitsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "FILE", description = "GGUF model file")
    String model;

    @Option(names = "--tokens", required = true, split = ",", paramLabel = "IDS", description = "comma-separated token ids")
    int[] tokens;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "output file (float32, little-endian)")
    Path output;

    @Mixin
    KvTypeOption kvType = new KvTypeOption();

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try (LanguageModel lm = ModelLoader.load(resolveModel(model))) {
            int vocab = lm.config().vocab();
            float[] logits = new float[tokens.length * vocab];
            lm.forward(Batch.ofSequence(tokens, 0, true), lm.newCache(1, tokens.length, kvType.type()), logits);
            writeF32(output, logits);
            return 0;
        } catch (IOException | ModelLoadException | ModelStoreException | IllegalArgumentException e) {
            err.println("r1j logits: " + e.getMessage());
            return 1;
        }
    }

    /**
     * Turns the {@code -m} argument into a model file: an existing path, else a model-store name
     * ({@link ModelResolver}).
     *
     * @throws ModelStoreException naming the argument and what to do when neither exists
     */
    static Path resolveModel(String model) {
        return ModelResolver.resolve(model);
    }

    /** Writes {@code values} as little-endian float32, atomically (temporary file, then move). */
    static void writeF32(Path path, float[] values) throws IOException {
        Path abs = path.toAbsolutePath();
        // Not Files.createTempFile: that makes the file owner-only (0600); CREATE_NEW gives the usual umask mode.
        Path tmp = abs.resolveSibling("." + abs.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".part");
        try {
            ByteBuffer buf = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            buf.asFloatBuffer().put(values);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                while (buf.hasRemaining()) ch.write(buf);
            }
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
