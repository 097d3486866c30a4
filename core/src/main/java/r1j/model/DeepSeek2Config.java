package r1j.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import r1j.gguf.GgufFile;
import r1j.gguf.GgufMetadata;
import r1j.gguf.GgufTensorInfo;

/**
 * Hyper-parameters of a {@code deepseek2} model (DeepSeek-V2, V2-Lite, V3, R1): MLA attention, a few leading dense
 * blocks, DeepSeekMoE blocks after them.
 *
 * @param architecture       {@code deepseek2}
 * @param dim                model width ({@code embedding_length})
 * @param hiddenDim          feed-forward width of the leading dense blocks ({@code feed_forward_length})
 * @param layers             blocks ({@code block_count})
 * @param leadingDenseLayers blocks before the first MoE block ({@code leading_dense_block_count})
 * @param heads              attention heads ({@code attention.head_count})
 * @param vocab              vocabulary size
 * @param contextLength      trained context
 * @param rmsEps             RMSNorm epsilon
 * @param ropeTheta          RoPE base
 * @param mla                attention widths
 * @param moe                expert counts and routing
 * @param mscale             YaRN attention temperature {@code 1 + yarn_log_multiplier * ln(factor)} (1 without
 *                           scaling); scores are scaled by {@code mscale^2 / sqrt(keyLength)}
 */
public record DeepSeek2Config(String architecture, int dim, int hiddenDim, int layers, int leadingDenseLayers,
                              int heads, int vocab, int contextLength, float rmsEps, float ropeTheta, MlaConfig mla,
                              MoeConfig moe, float mscale) implements ArchitectureConfig {

    public DeepSeek2Config {
        if (dim <= 0 || hiddenDim <= 0 || layers <= 0 || heads <= 0 || vocab <= 0 || contextLength <= 0) {
            throw new IllegalArgumentException("model sizes must be positive: " + this);
        }
        if (leadingDenseLayers < 0 || leadingDenseLayers > layers) {
            throw new IllegalArgumentException("leading_dense_block_count %d is outside [0, %d]".formatted(leadingDenseLayers, layers));
        }
    }

    /** Whether block {@code layer} has a mixture-of-experts feed-forward (else a dense SwiGLU). */
    public boolean isMoe(int layer) { return layer >= leadingDenseLayers; }

    /** Attention-score scale {@code mscale^2 / sqrt(keyLength)} (llama.cpp's {@code kq_scale}). */
    public float kqScale() { return (float) (mscale * mscale / Math.sqrt(mla.keyLength())); }

    /** Query width of all heads: {@code heads * keyLength}. */
    public int qDim() { return heads * mla.keyLength(); }

    /** KV-cache floats per token for all layers in the latent layout. */
    public long latentFloatsPerToken() { return (long) layers * mla.latentDim(); }

    /** KV-cache floats per token for all layers when K and V are decompressed per head (llama.cpp's layout). */
    public long naiveFloatsPerToken() { return (long) layers * heads * (mla.keyLength() + mla.valueDim()); }

    /**
     * Reads the {@code deepseek2.*} keys. Queries use the low-rank path when {@code attention.q_lora_rank} is present
     * and non-zero (llama.cpp decides by {@code block_count == 27}; the key is the honest signal).
     *
     * @throws ModelLoadException naming every missing key, or for inconsistent values
     */
    static DeepSeek2Config read(GgufFile file, String arch) {
        GgufMetadata md = file.metadata();
        List<String> missing = new ArrayList<>();
        for (String key : List.of("embedding_length", "feed_forward_length", "block_count", "attention.head_count",
                "attention.layer_norm_rms_epsilon", "context_length", "leading_dense_block_count",
                "attention.kv_lora_rank", "attention.key_length", "attention.value_length", "rope.dimension_count",
                "expert_count", "expert_used_count", "expert_feed_forward_length")) {
            if (!md.has(arch + "." + key)) missing.add(arch + "." + key);
        }
        GgufTensorInfo embd = file.tensor(TensorNames.TOKEN_EMBD);
        if (embd == null) missing.add("tensor " + TensorNames.TOKEN_EMBD);
        if (!missing.isEmpty()) {
            throw new ModelLoadException("%s: missing required %s".formatted(file.path(), String.join(", ", missing)));
        }
        if (embd.dims().length != 2) {
            throw new ModelLoadException("%s: %s must be 2-D [n_embd, n_vocab], has dims %s"
                    .formatted(file.path(), TensorNames.TOKEN_EMBD, Arrays.toString(embd.dims())));
        }
        try {
            int heads = md.getInt(arch + ".attention.head_count");
            int kvHeads = md.getInt(arch + ".attention.head_count_kv", heads);
            if (kvHeads != heads) {
                throw new IllegalArgumentException("MLA needs head_count_kv %d == head_count %d".formatted(kvHeads, heads));
            }
            int rope = md.getInt(arch + ".rope.dimension_count");
            // Files converted since llama.cpp's MLA support (2025) describe attention as MQA over the latent
            // (key_length = kv_lora_rank + rope) and keep the per-head widths in the *_mla keys.
            int keyLength = md.getInt(arch + ".attention.key_length_mla", md.getInt(arch + ".attention.key_length"));
            int valueLength = md.getInt(arch + ".attention.value_length_mla", md.getInt(arch + ".attention.value_length"));
            MlaConfig mla = new MlaConfig(md.getInt(arch + ".attention.q_lora_rank", 0), md.getInt(arch + ".attention.kv_lora_rank"),
                    keyLength - rope, rope, valueLength);
            int experts = md.getInt(arch + ".expert_count");
            int groups = md.getInt(arch + ".expert_group_count", 1);
            MoeConfig moe = new MoeConfig(experts, md.getInt(arch + ".expert_used_count"),
                    md.getInt(arch + ".expert_shared_count", 0), md.getInt(arch + ".expert_feed_forward_length"),
                    // absent => softmax, as DeepSeek-V2 and V2.5 files were written before the key existed
                    MoeConfig.Gating.of(md.getInt(arch + ".expert_gating_func", 1)),
                    md.getBoolean(arch + ".expert_weights_norm", false),
                    md.getFloat(arch + ".expert_weights_scale", 1f),
                    groups, md.getInt(arch + ".expert_group_used_count", groups));
            int context = md.getInt(arch + ".context_length");
            RopeScaling scaling = GgufModelConfig.ropeScaling(md, arch, context);
            float mscale = scaling.type() == RopeScaling.Type.YARN
                    ? (float) (1 + md.getFloat(arch + ".rope.scaling.yarn_log_multiplier", 0f) * Math.log(scaling.factor()))
                    : 1f;
            return new DeepSeek2Config(arch, md.getInt(arch + ".embedding_length"), md.getInt(arch + ".feed_forward_length"),
                    md.getInt(arch + ".block_count"), md.getInt(arch + ".leading_dense_block_count"), heads,
                    Math.toIntExact(embd.dims()[1]), context, md.getFloat(arch + ".attention.layer_norm_rms_epsilon"),
                    md.getFloat(arch + ".rope.freq_base", 10000f), mla, moe, mscale);
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException("%s: inconsistent hyper-parameters: %s".formatted(file.path(), e.getMessage()), e);
        }
    }

    /**
     * The decoupled RoPE of the shared key and the query's rope part: NORM style (adjacent pairs), YaRN as the file
     * says. ggml multiplies cos/sin by {@code attn_factor * (1 + 0.1 ln factor)} and llama.cpp passes
     * {@code attn_factor = 1 / (1 + 0.1 ln factor)} for deepseek2, so the rotation keeps unit magnitude; the
     * temperature lives in {@link #kqScale()} instead.
     */
    static Rope rope(GgufFile file, DeepSeek2Config c) {
        RopeScaling s = GgufModelConfig.ropeScaling(file.metadata(), c.architecture(), c.contextLength());
        if (s.type() == RopeScaling.Type.YARN) {
            s = new RopeScaling(s.type(), s.factor(), s.originalContextLength(), (float) (1 / (1 + 0.1 * Math.log(s.factor()))));
        }
        return new Rope(c.mla().ropeDim(), false, c.ropeTheta(), null, s);
    }
}
