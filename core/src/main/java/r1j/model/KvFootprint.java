package r1j.model;

import r1j.gguf.GgufFile;

/**
 * The KV-cache memory one token costs in a model (all layers), as r1j caches it and as the naive layout — each
 * head's key and value decompressed, llama.cpp's layout for {@code deepseek2} at the goldens' commit — would.
 * For dense models the two are the same; for MLA the latent cache is the point ({@link LatentKvCache}).
 *
 * @param layout             what r1j stores per token and layer
 * @param bytesPerToken      r1j's cache bytes per token
 * @param naiveBytesPerToken bytes per token with decompressed per-head K and V, same element type
 */
public record KvFootprint(String layout, long bytesPerToken, long naiveBytesPerToken) {

    /**
     * Reads the widths from the file's metadata.
     *
     * @throws UnsupportedModelException for an architecture r1j does not run
     * @throws ModelLoadException        when the metadata r1j needs is missing
     */
    public static KvFootprint of(GgufFile file) {
        String arch = file.metadata().getString("general.architecture", "");
        return switch (arch) {
            case "llama", "qwen2", "qwen3", "qwen3moe" -> {
                ModelConfig c = GgufModelConfig.read(file, arch, DenseVariant.LLAMA); // the K/V widths are the same in every variant
                long bytes = 2L * c.layers() * c.kvDim() * Float.BYTES;
                yield new KvFootprint("K and V of %d KV heads x %d, F32".formatted(c.kvHeads(), c.headSize()), bytes, bytes);
            }
            case "deepseek2" -> {
                DeepSeek2Config c = DeepSeek2Config.read(file, arch);
                yield new KvFootprint("MLA latent: kv_lora_rank %d + rope key %d, F32".formatted(c.mla().kvLoraRank(), c.mla().ropeDim()),
                        c.latentFloatsPerToken() * Float.BYTES, c.naiveFloatsPerToken() * Float.BYTES);
            }
            default -> throw new UnsupportedModelException(
                    "GGUF architecture '%s' is not supported; supported: %s".formatted(arch, ModelLoader.SUPPORTED));
        };
    }
}
