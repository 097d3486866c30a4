package r1j.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import r1j.gguf.GgufFile;
import r1j.gguf.GgufMetadata;
import r1j.gguf.GgufTensorInfo;

/**
 * Reads {@link ModelConfig} and {@link RopeScaling} from the {@code <arch>.*} metadata keys of a GGUF file (llama.cpp's
 * {@code LLM_KV_*} names). Missing required keys are reported all at once, by name.
 */
final class GgufModelConfig {

    private GgufModelConfig() {}

    /** Keys a mixture-of-experts variant needs besides the dense ones. */
    private static final List<String> MOE_KEYS = List.of("expert_count", "expert_used_count", "expert_feed_forward_length");

    /**
     * @param variant the RoPE pairing (NEOX as qwen2, adjacent pairs as llama), and whether the expert keys are read
     * @throws ModelLoadException naming every missing key
     */
    static ModelConfig read(GgufFile file, String arch, DenseVariant variant) {
        GgufMetadata md = file.metadata();
        List<String> missing = new ArrayList<>();
        List<String> required = new ArrayList<>(List.of("embedding_length", "feed_forward_length", "block_count",
                "attention.head_count", "attention.layer_norm_rms_epsilon", "context_length"));
        if (variant.moe()) required.addAll(MOE_KEYS);
        for (String key : required) {
            if (!md.has(arch + "." + key)) missing.add(arch + "." + key);
        }
        GgufTensorInfo embd = file.tensor(TensorNames.TOKEN_EMBD);
        if (embd == null) missing.add("tensor " + TensorNames.TOKEN_EMBD);
        if (!missing.isEmpty()) {
            throw new ModelLoadException("%s: missing required %s".formatted(file.path(), String.join(", ", missing)));
        }
        int dim = md.getInt(arch + ".embedding_length");
        int heads = md.getInt(arch + ".attention.head_count");
        int headSize = md.getInt(arch + ".attention.key_length", heads > 0 ? dim / heads : 0);
        int valueLength = md.getInt(arch + ".attention.value_length", headSize);
        if (valueLength != headSize) {
            throw new UnsupportedModelException("%s: attention.value_length %d differs from key_length %d; dense models need them equal"
                    .formatted(file.path(), valueLength, headSize));
        }
        if (embd.dims().length != 2) {
            throw new ModelLoadException("%s: %s must be 2-D [n_embd, n_vocab], has dims %s"
                    .formatted(file.path(), TensorNames.TOKEN_EMBD, Arrays.toString(embd.dims())));
        }
        try {
            return config(md, arch, dim, heads, headSize, Math.toIntExact(embd.dims()[1]), variant);
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException("%s: inconsistent hyper-parameters: %s".formatted(file.path(), e.getMessage()), e);
        }
    }

    private static ModelConfig config(GgufMetadata md, String arch, int dim, int heads, int headSize, int vocab, DenseVariant variant) {
        return new ModelConfig(
                arch,
                dim,
                md.getInt(arch + ".feed_forward_length"),
                md.getInt(arch + ".block_count"),
                heads,
                md.getInt(arch + ".attention.head_count_kv", heads),
                headSize,
                vocab,
                md.getInt(arch + ".context_length"),
                md.getFloat(arch + ".attention.layer_norm_rms_epsilon"),
                md.getFloat(arch + ".rope.freq_base", 10000f),
                md.getInt(arch + ".rope.dimension_count", headSize),
                variant.ropeNeox(),
                variant.moe() ? moe(md, arch) : null);
    }

    /**
     * Qwen3-MoE's router (Hugging Face's {@code Qwen3MoeSparseMoeBlock}): softmax over all experts, the top
     * {@code expert_used_count}, their weights renormalised to sum 1 ({@code norm_topk_prob}; llama.cpp always does,
     * r1j follows {@code expert_weights_norm} when a file has it), no shared experts, no groups.
     */
    private static MoeConfig moe(GgufMetadata md, String arch) {
        return new MoeConfig(md.getInt(arch + ".expert_count"), md.getInt(arch + ".expert_used_count"), 0,
                md.getInt(arch + ".expert_feed_forward_length"), MoeConfig.Gating.SOFTMAX,
                md.getBoolean(arch + ".expert_weights_norm", true), 1f, 1, 1);
    }

    /**
     * {@code rope.scaling.type/factor/original_context_length/attn_factor}, or the older {@code rope.scale_linear}.
     *
     * @throws UnsupportedModelException for scaling types r1j does not implement (e.g. longrope)
     */
    static RopeScaling ropeScaling(GgufMetadata md, String arch, int contextLength) {
        String type = md.getString(arch + ".rope.scaling.type", "").toLowerCase(Locale.ROOT);
        float factor = md.getFloat(arch + ".rope.scaling.factor", 0f);
        if (type.isEmpty()) {
            float linear = md.getFloat(arch + ".rope.scale_linear", 0f);
            if (linear != 0f && linear != 1f) return new RopeScaling(RopeScaling.Type.LINEAR, linear, contextLength, 1f);
            return RopeScaling.NONE;
        }
        // llama.cpp treats a factor of 0 (or 1) as "no scaling" whatever the type says.
        if (type.equals("none") || factor == 0f || factor == 1f) return RopeScaling.NONE;
        int original = md.getInt(arch + ".rope.scaling.original_context_length", contextLength);
        float attnFactor = md.getFloat(arch + ".rope.scaling.attn_factor", 1f);
        return switch (type) {
            case "linear" -> new RopeScaling(RopeScaling.Type.LINEAR, factor, original, attnFactor);
            case "yarn" -> new RopeScaling(RopeScaling.Type.YARN, factor, original, attnFactor);
            default -> throw new UnsupportedModelException(
                    "rope.scaling.type '%s' is not supported; supported: none, linear, yarn".formatted(type));
        };
    }
}
