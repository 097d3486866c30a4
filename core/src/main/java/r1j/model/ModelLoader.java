package r1j.model;

import java.io.IOException;
import java.nio.file.Path;
import r1j.gguf.GgufFile;
import r1j.gguf.GgufMetadataException;
import r1j.tensor.ComputePool;

/**
 * Opens a GGUF file and builds the {@link LanguageModel} its {@code general.architecture} names. The weights stay in
 * the mapped file; closing the model unmaps it.
 */
public final class ModelLoader {

    /** Architectures r1j runs, in the order error messages list them. */
    public static final String SUPPORTED = "llama, qwen2, qwen3, qwen3moe, deepseek2";

    private ModelLoader() {}

    /** {@link #load(Path, ComputePool)} on the shared pool (one worker per core). */
    public static LanguageModel load(Path path) throws IOException {
        return load(path, ComputePool.shared());
    }

    /**
     * @throws IOException                if the file cannot be read or is not valid GGUF
     * @throws UnsupportedModelException  for an architecture or RoPE scaling r1j does not implement
     * @throws ModelLoadException         when required metadata or tensors are missing, of the wrong type or misshapen
     */
    public static LanguageModel load(Path path, ComputePool pool) throws IOException {
        return load(path, pool, WeightRepacker.enabled());
    }

    /**
     * As {@link #load(Path, ComputePool)}, choosing whether dense projections are repacked for the 8-bit decode
     * kernels ({@code repack}, by default on unless {@code -Dr1j.repack=false}) or stay on the mapped file with F32
     * activations (the semantics of the golden {@code .deq} logits).
     */
    public static LanguageModel load(Path path, ComputePool pool, boolean repack) throws IOException {
        GgufFile file = GgufFile.open(path);
        try {
            return build(file, pool, repack);
        } catch (GgufMetadataException e) {
            file.close();
            throw new ModelLoadException("%s: %s".formatted(path, e.getMessage()), e);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    private static LanguageModel build(GgufFile file, ComputePool pool, boolean repack) {
        String arch = file.metadata().getString("general.architecture", "");
        if (arch.isEmpty()) {
            throw new ModelLoadException(file.path() + ": missing required key general.architecture");
        }
        return switch (arch) {
            case "llama" -> DenseTransformer.load(file, arch, DenseVariant.LLAMA, pool, repack);
            case "qwen2" -> DenseTransformer.load(file, arch, DenseVariant.QWEN2, pool, repack);
            case "qwen3" -> DenseTransformer.load(file, arch, DenseVariant.QWEN3, pool, repack);
            case "qwen3moe" -> DenseTransformer.load(file, arch, DenseVariant.QWEN3MOE, pool, repack);
            case "deepseek2" -> DeepSeek2.load(file, arch, pool);
            default -> throw new UnsupportedModelException(
                    "GGUF architecture '%s' is not supported; supported: %s".formatted(arch, SUPPORTED));
        };
    }
}
