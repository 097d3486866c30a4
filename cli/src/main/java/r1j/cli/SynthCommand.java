package r1j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import r1j.cli.store.BuiltInModel;
import r1j.cli.store.StoreConfig;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import r1j.gguf.GgufArray;
import r1j.gguf.GgufFile;
import r1j.gguf.GgufMetadata;
import r1j.gguf.GgufWriter;
import r1j.tensor.GgmlType;
import r1j.tensor.Quantizer;

/**
 * {@code r1j synth --shape qwen2-0.5b [--vocab-from vocab.gguf] -o model.gguf}: writes a random-weight model in the
 * exact shape of a real one, for benchmarks that need realistic sizes (the memory traffic and compute of a forward
 * step depend on the shapes, not on the values). Weights are seeded Gaussian (σ 0.02), norms 1, quantized with the
 * project's {@link Quantizer}; the tokenizer is copied from {@code --vocab-from} (any GGUF with {@code tokenizer.*}
 * keys, e.g. llama.cpp's {@code ggml-vocab-deepseek-llm.gguf}), whose size sets the qwen2-* shapes' vocabulary, or by
 * default from the built-in tiny-r1, padded to the real model's vocabulary size (so no extra file is needed).
 */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "Write a random-weight GGUF in a real model's shape (for benchmarks).")
public final class SynthCommand implements Callable<Integer> {

    /**
     * Shapes of real models (their config.json). Qwen2 has attention biases; {@code vocab} 0 takes the copied
     * tokenizer's size, otherwise the tokenizer is padded with {@code [PAD<id>]} tokens to it (as llama.cpp's
     * converter pads Qwen's 151665 tokens to the 151936 embedding rows).
     */
    enum Shape {
        QWEN2_0_5B("qwen2-0.5b", "qwen2", 896, 24, 14, 2, 4864, 0, true, 1_000_000f, 1e-6f, 0, null, null),
        QWEN2_1_5B("qwen2-1.5b", "qwen2", 1536, 28, 12, 2, 8960, 0, true, 1_000_000f, 1e-6f, 0, null, null),
        /** DeepSeek-R1-Distill-Qwen-1.5B: Qwen2.5-Math-1.5B's shape with an untied output head. */
        R1_QWEN_1_5B("r1-qwen-1.5b", "qwen2", 1536, 28, 12, 2, 8960, 151936, false, 10_000f, 1e-6f, 0, null, null),
        /** Llama 3.2 1B (without its rope_freqs scaling table, which does not change the speed). */
        LLAMA_3_2_1B("llama-3.2-1b", "llama", 2048, 16, 32, 8, 8192, 128256, true, 500_000f, 1e-5f, 0, null, null),
        /** Qwen3-8B (DeepSeek-R1-0528-Qwen3-8B's shape): per-head q/k norms, head_dim 128. */
        QWEN3_8B("qwen3-8b", "qwen3", 4096, 36, 32, 8, 12288, 151936, false, 1_000_000f, 1e-6f, 128, null, null),
        /** DeepSeek-V2-Lite: MLA without a query bottleneck, 64 experts (6 used, 2 shared), softmax routing. */
        DEEPSEEK_V2_LITE("deepseek-v2-lite", "deepseek2", 2048, 27, 16, 16, 10944, 102400, false, 10_000f, 1e-6f, 0,
                new DeepSeekShape(0, 512, 128, 64, 128, 1, 64, 6, 2, 1408, 1, false, 1f, 1, 1, 40f, 0.0707f), null),
        /** DeepSeek-V3 / R1: MLA with q_lora 1536, 256 experts (8 used, 1 shared), sigmoid routing in 8 groups (4 kept). */
        DEEPSEEK_V3("deepseek-v3", "deepseek2", 7168, 61, 128, 128, 18432, 129280, false, 10_000f, 1e-6f, 0,
                new DeepSeekShape(1536, 512, 128, 64, 128, 3, 256, 8, 1, 2048, 2, true, 2.5f, 8, 4, 40f, 0.1f), null),
        /** Qwen3-30B-A3B: qwen3's attention (head_dim 128), 128 experts of width 768 (8 per token) in every block. */
        QWEN3_30B_A3B("qwen3-30b-a3b", "qwen3moe", 2048, 48, 32, 4, 6144, 151936, false, 1_000_000f, 1e-6f, 128, null,
                new ExpertShape(128, 8, 768));

        final String label;
        final String arch;
        final int dim;
        final int layers;
        final int heads;
        final int kvHeads;
        final int ffn;
        final int vocab;
        final boolean tied;
        final float ropeTheta;
        final float eps;
        final int headDim;          // 0: dim / heads
        final DeepSeekShape deepseek; // null for dense shapes
        final ExpertShape experts;    // qwen3moe's experts; null otherwise

        Shape(String label, String arch, int dim, int layers, int heads, int kvHeads, int ffn, int vocab, boolean tied,
              float ropeTheta, float eps, int headDim, DeepSeekShape deepseek, ExpertShape experts) {
            this.headDim = headDim == 0 ? dim / heads : headDim;
            this.experts = experts;
            this.deepseek = deepseek;
            this.label = label;
            this.arch = arch;
            this.dim = dim;
            this.layers = layers;
            this.heads = heads;
            this.kvHeads = kvHeads;
            this.ffn = ffn;
            this.vocab = vocab;
            this.tied = tied;
            this.ropeTheta = ropeTheta;
            this.eps = eps;
        }

        static Shape of(String label) {
            for (Shape s : values()) {
                if (s.label.equals(label)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown shape '" + label + "'; use " + LABELS);
        }
    }

    static final String LABELS = "qwen2-0.5b, qwen2-1.5b, r1-qwen-1.5b, llama-3.2-1b, qwen3-8b, qwen3-30b-a3b, deepseek-v2-lite or deepseek-v3";

    /** The experts of a {@code qwen3moe} shape: count, used per token, width of one expert. */
    record ExpertShape(int experts, int used, int ffn) {}

    /**
     * The MLA and DeepSeekMoE part of a {@code deepseek2} shape (the model's config.json; YaRN as llama.cpp's
     * converter writes it, {@code yarn_log_multiplier = 0.1 * mscale_all_dim}).
     */
    record DeepSeekShape(int qLoraRank, int kvLoraRank, int nope, int rope, int valueDim, int leadingDense, int experts,
                         int expertsUsed, int shared, int expertFfn, int gatingFunc, boolean normTopK, float routedScale,
                         int groups, int groupsUsed, float yarnFactor, float yarnLogMultiplier) {}

    /** Embedding rows of every Qwen2/2.5 model (config.json {@code vocab_size}), 151,665 tokens padded. */
    static final int QWEN2_EMBEDDING_ROWS = 151_936;

    @Spec
    CommandSpec spec;

    @Option(names = "--shape", defaultValue = "qwen2-0.5b",
            description = "qwen2-0.5b, qwen2-1.5b, r1-qwen-1.5b, llama-3.2-1b, qwen3-8b, qwen3-30b-a3b, deepseek-v2-lite or deepseek-v3 (default: ${DEFAULT-VALUE})")
    String shape;

    @Option(names = "--vocab-from", paramLabel = "GGUF",
            description = "copy the tokenizer from this GGUF (default: the built-in tiny-r1's, padded to the shape's "
                    + "vocabulary size, which is Qwen2's " + QWEN2_EMBEDDING_ROWS + " rows for the qwen2-* shapes)")
    Path vocabFrom;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "where to write the model")
    Path output;

    @Option(names = "--type", defaultValue = "Q8_0", converter = TypeMix.Converter.class,
            description = "weight type of the matrices, or llama-quantize's mix Q4_K_M; Q4_0 and Q4_K_M put the output head in Q6_K as llama-quantize does (default: ${DEFAULT-VALUE})")
    TypeMix type;

    @Option(names = "--seed", defaultValue = "1", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--layers", defaultValue = "0", paramLabel = "N",
            description = "keep only the first N blocks (default: all of the shape's; fewer for quick tests); a deepseek2 shape keeps at least one MoE block, cutting its leading dense blocks to N-1 when needed")
    int layers;

    @Option(names = "--ctx", defaultValue = "32768", description = "trained context length to record (default: ${DEFAULT-VALUE})")
    int context;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Shape s = Shape.of(shape);
            if (layers < 0 || layers > s.layers) {
                throw new IllegalArgumentException("--layers %d is out of range [1, %d] for %s".formatted(layers, s.layers, s.label));
            }
            int blocks = layers == 0 ? s.layers : layers;
            GgufWriter w = new GgufWriter();
            // Without --vocab-from the small built-in vocabulary is padded to the real model's size, so the
            // embedding and output matrices (and the speed figures) are those of the real shape.
            Path source = vocabFrom != null ? vocabFrom : BuiltInModel.file(StoreConfig.fromSystem().home());
            int size = s.vocab != 0 || vocabFrom != null ? s.vocab : QWEN2_EMBEDDING_ROWS;
            int vocab = copyTokenizer(w, source, size);
            header(w, s, blocks);
            SplittableRandom rnd = new SplittableRandom(seed);
            int kvDim = s.headDim * s.kvHeads, qDim = s.headDim * s.heads;
            GgmlType embdType = s.tied ? type.output() : type.embedding();
            w.addTensor("token_embd.weight", embdType, new long[] {s.dim, vocab}, matrix(rnd, embdType, vocab, s.dim));
            w.addTensor("output_norm.weight", GgmlType.F32, new long[] {s.dim}, ones(s.dim));
            if (!s.tied) {
                w.addTensor("output.weight", type.output(), new long[] {s.dim, vocab}, matrix(rnd, type.output(), vocab, s.dim));
            }
            for (int l = 0; l < blocks; l++) {
                String b = "blk." + l + ".";
                if (s.deepseek != null) {
                    deepseekBlock(w, rnd, s, l, blocks);
                    continue;
                }
                GgmlType main = type.layer(), more = type.moreBits(l, blocks);
                w.addTensor(b + "attn_norm.weight", GgmlType.F32, new long[] {s.dim}, ones(s.dim));
                w.addTensor(b + "attn_q.weight", main, new long[] {s.dim, qDim}, matrix(rnd, main, qDim, s.dim));
                w.addTensor(b + "attn_k.weight", main, new long[] {s.dim, kvDim}, matrix(rnd, main, kvDim, s.dim));
                w.addTensor(b + "attn_v.weight", more, new long[] {s.dim, kvDim}, matrix(rnd, more, kvDim, s.dim));
                if (s.arch.equals("qwen2")) {
                    w.addTensor(b + "attn_q.bias", GgmlType.F32, new long[] {s.dim}, f32(rnd, s.dim));
                    w.addTensor(b + "attn_k.bias", GgmlType.F32, new long[] {kvDim}, f32(rnd, kvDim));
                    w.addTensor(b + "attn_v.bias", GgmlType.F32, new long[] {kvDim}, f32(rnd, kvDim));
                }
                if (s.arch.startsWith("qwen3")) {
                    w.addTensor(b + "attn_q_norm.weight", GgmlType.F32, new long[] {s.headDim}, ones(s.headDim));
                    w.addTensor(b + "attn_k_norm.weight", GgmlType.F32, new long[] {s.headDim}, ones(s.headDim));
                }
                w.addTensor(b + "attn_output.weight", main, new long[] {qDim, s.dim}, matrix(rnd, main, s.dim, qDim));
                w.addTensor(b + "ffn_norm.weight", GgmlType.F32, new long[] {s.dim}, ones(s.dim));
                if (s.experts != null) {
                    ExpertShape e = s.experts;
                    w.addTensor(b + "ffn_gate_inp.weight", GgmlType.F32, new long[] {s.dim, e.experts()}, f32(rnd, s.dim * e.experts()));
                    stacked(w, rnd, b + "ffn_gate_exps.weight", main, e.experts(), e.ffn(), s.dim);
                    stacked(w, rnd, b + "ffn_up_exps.weight", main, e.experts(), e.ffn(), s.dim);
                    stacked(w, rnd, b + "ffn_down_exps.weight", more, e.experts(), s.dim, e.ffn());
                    continue;
                }
                w.addTensor(b + "ffn_gate.weight", main, new long[] {s.dim, s.ffn}, matrix(rnd, main, s.ffn, s.dim));
                w.addTensor(b + "ffn_up.weight", main, new long[] {s.dim, s.ffn}, matrix(rnd, main, s.ffn, s.dim));
                w.addTensor(b + "ffn_down.weight", more, new long[] {s.ffn, s.dim}, matrix(rnd, more, s.dim, s.ffn));
            }
            w.write(output);
            out.printf("wrote %s: %s shape, %d layers, dim %d, vocab %d, %s weights%n", output, s.label, blocks,
                    s.dim, vocab, type);
            return 0;
        } catch (IllegalArgumentException | IOException e) {
            err.println("r1j synth: " + e.getMessage());
            return 2;
        }
    }

    /**
     * Copies every {@code tokenizer.*} key, padded to {@code size} tokens when that is larger (0: no padding);
     * returns the vocabulary size.
     */
    private static int copyTokenizer(GgufWriter w, Path vocabFrom, int size) throws IOException {
        try (GgufFile f = GgufFile.open(vocabFrom)) {
            GgufMetadata md = f.metadata();
            if (!(md.get("tokenizer.ggml.tokens") instanceof GgufArray tokens)) {
                throw new IllegalArgumentException(vocabFrom + " has no tokenizer.ggml.tokens; give a GGUF with a vocabulary");
            }
            for (String key : md.keys()) {
                if (key.startsWith("tokenizer.")) {
                    w.put(key, md.typeOf(key), md.get(key));
                }
            }
            if (size == 0 || size == tokens.size()) {
                return tokens.size();
            }
            if (size < tokens.size()) {
                throw new IllegalArgumentException("%s has %d tokens, more than the shape's %d; give a smaller vocabulary"
                        .formatted(vocabFrom, tokens.size(), size));
            }
            padVocabulary(w, md, tokens.size(), size);
            return size;
        }
    }

    /** Appends {@code [PAD<id>]} tokens of type UNUSED (5) up to {@code size}, as llama.cpp's converter does. */
    private static void padVocabulary(GgufWriter w, GgufMetadata md, int have, int size) {
        String[] tokens = java.util.Arrays.copyOf(md.getStringArray("tokenizer.ggml.tokens"), size);
        for (int i = have; i < size; i++) {
            tokens[i] = "[PAD" + i + "]";
        }
        w.putStringArray("tokenizer.ggml.tokens", tokens);
        if (md.has("tokenizer.ggml.token_type")) {
            int[] types = java.util.Arrays.copyOf(md.getIntArray("tokenizer.ggml.token_type"), size);
            java.util.Arrays.fill(types, have, size, 5);
            w.putInt32Array("tokenizer.ggml.token_type", types);
        }
        if (md.has("tokenizer.ggml.scores")) {
            w.putFloat32Array("tokenizer.ggml.scores", java.util.Arrays.copyOf(md.getFloatArray("tokenizer.ggml.scores"), size));
        }
    }

    /** One {@code deepseek2} block: MLA, then a dense SwiGLU (leading blocks) or routed + shared experts. */
    private void deepseekBlock(GgufWriter w, SplittableRandom rnd, Shape s, int l, int blocks) {
        DeepSeekShape d = s.deepseek;
        String b = "blk." + l + ".";
        int keyLen = d.nope() + d.rope(), q = s.heads * keyLen;
        w.addTensor(b + "attn_norm.weight", GgmlType.F32, new long[] {s.dim}, ones(s.dim));
        if (d.qLoraRank() > 0) {
            weight(w, rnd, b + "attn_q_a.weight", type.layer(), d.qLoraRank(), s.dim);
            w.addTensor(b + "attn_q_a_norm.weight", GgmlType.F32, new long[] {d.qLoraRank()}, ones(d.qLoraRank()));
            weight(w, rnd, b + "attn_q_b.weight", type.layer(), q, d.qLoraRank());
        } else {
            weight(w, rnd, b + "attn_q.weight", type.layer(), q, s.dim);
        }
        weight(w, rnd, b + "attn_kv_a_mqa.weight", type.layer(), d.kvLoraRank() + d.rope(), s.dim);
        w.addTensor(b + "attn_kv_a_norm.weight", GgmlType.F32, new long[] {d.kvLoraRank()}, ones(d.kvLoraRank()));
        weight(w, rnd, b + "attn_kv_b.weight", type.layer(), s.heads * (d.nope() + d.valueDim()), d.kvLoraRank());
        weight(w, rnd, b + "attn_output.weight", type.layer(), s.dim, s.heads * d.valueDim());
        w.addTensor(b + "ffn_norm.weight", GgmlType.F32, new long[] {s.dim}, ones(s.dim));
        GgmlType more = type.moreBits(l, blocks);
        if (l < leadingDense(s, blocks)) {
            weight(w, rnd, b + "ffn_gate.weight", type.layer(), s.ffn, s.dim);
            weight(w, rnd, b + "ffn_up.weight", type.layer(), s.ffn, s.dim);
            weight(w, rnd, b + "ffn_down.weight", more, s.dim, s.ffn);
            return;
        }
        int e = d.experts(), ff = d.expertFfn(), sh = d.shared() * ff;
        w.addTensor(b + "ffn_gate_inp.weight", GgmlType.F32, new long[] {s.dim, e}, f32(rnd, s.dim * e));
        if (d.gatingFunc() == 2) w.addTensor(b + "exp_probs_b.bias", GgmlType.F32, new long[] {e}, f32(rnd, e));
        stacked(w, rnd, b + "ffn_gate_exps.weight", type.layer(), e, ff, s.dim);
        stacked(w, rnd, b + "ffn_up_exps.weight", type.layer(), e, ff, s.dim);
        stacked(w, rnd, b + "ffn_down_exps.weight", more, e, s.dim, ff);
        if (sh > 0) {
            weight(w, rnd, b + "ffn_gate_shexp.weight", type.layer(), sh, s.dim);
            weight(w, rnd, b + "ffn_up_shexp.weight", type.layer(), sh, s.dim);
            weight(w, rnd, b + "ffn_down_shexp.weight", more, s.dim, sh);
        }
    }

    /** The shape's leading dense blocks, cut so that {@code blocks} keeps at least one MoE block. */
    private static int leadingDense(Shape s, int blocks) {
        return Math.min(s.deepseek.leadingDense(), blocks - 1);
    }

    /** A {@code [rows, cols]} matrix; rows of a length the type's blocks do not divide fall back to Q8_0, then F16. */
    private static void weight(GgufWriter w, SplittableRandom rnd, String name, GgmlType t, int rows, int cols) {
        GgmlType fit = fitting(t, cols);
        w.addTensor(name, fit, new long[] {cols, rows}, matrix(rnd, fit, rows, cols));
    }

    /** {@code count} stacked {@code [rows, cols]} matrices ({@code ne = [cols, rows, count]}, one per expert). */
    private static void stacked(GgufWriter w, SplittableRandom rnd, String name, GgmlType t, int count, int rows, int cols) {
        GgmlType fit = fitting(t, cols);
        w.addTensor(name, fit, new long[] {cols, rows, count}, matrix(rnd, fit, Math.multiplyExact(count, rows), cols));
    }

    private static GgmlType fitting(GgmlType t, int cols) {
        if (cols % t.blockSize() == 0) return t;
        return cols % GgmlType.Q8_0.blockSize() == 0 ? GgmlType.Q8_0 : GgmlType.F16;
    }

    private void header(GgufWriter w, Shape s, int blocks) {
        String a = s.arch;
        w.putString("general.architecture", a);
        w.putString("general.name", "r1j-synth-" + s.label + "-random");
        w.putUint32(a + ".context_length", context);
        w.putUint32(a + ".embedding_length", s.dim);
        w.putUint32(a + ".block_count", blocks);
        w.putUint32(a + ".feed_forward_length", s.ffn);
        w.putUint32(a + ".attention.head_count", s.heads);
        w.putUint32(a + ".attention.head_count_kv", s.kvHeads);
        w.putFloat32(a + ".attention.layer_norm_rms_epsilon", s.eps);
        w.putFloat32(a + ".rope.freq_base", s.ropeTheta);
        if (s.arch.startsWith("qwen3")) {
            w.putUint32(a + ".attention.key_length", s.headDim);
            w.putUint32(a + ".attention.value_length", s.headDim);
        }
        if (s.experts != null) {
            w.putUint32(a + ".expert_count", s.experts.experts());
            w.putUint32(a + ".expert_used_count", s.experts.used());
            w.putUint32(a + ".expert_feed_forward_length", s.experts.ffn());
        }
        DeepSeekShape d = s.deepseek;
        if (d != null) {
            w.putUint32(a + ".leading_dense_block_count", leadingDense(s, blocks));
            if (d.qLoraRank() > 0) w.putUint32(a + ".attention.q_lora_rank", d.qLoraRank());
            w.putUint32(a + ".attention.kv_lora_rank", d.kvLoraRank());
            w.putUint32(a + ".attention.key_length", d.nope() + d.rope());
            w.putUint32(a + ".attention.value_length", d.valueDim());
            w.putUint32(a + ".rope.dimension_count", d.rope());
            w.putUint32(a + ".expert_count", d.experts());
            w.putUint32(a + ".expert_used_count", d.expertsUsed());
            w.putUint32(a + ".expert_shared_count", d.shared());
            w.putUint32(a + ".expert_feed_forward_length", d.expertFfn());
            w.putUint32(a + ".expert_gating_func", d.gatingFunc());
            w.putBool(a + ".expert_weights_norm", d.normTopK());
            w.putFloat32(a + ".expert_weights_scale", d.routedScale());
            if (d.groups() > 1) {
                w.putUint32(a + ".expert_group_count", d.groups());
                w.putUint32(a + ".expert_group_used_count", d.groupsUsed());
            }
            w.putString(a + ".rope.scaling.type", "yarn");
            w.putFloat32(a + ".rope.scaling.factor", d.yarnFactor());
            w.putUint32(a + ".rope.scaling.original_context_length", 4096);
            w.putFloat32(a + ".rope.scaling.yarn_log_multiplier", d.yarnLogMultiplier());
        }
    }

    /**
     * {@code [rows][cols]} Gaussian values (σ 0.02) in {@code type}, made when the writer reaches the tensor: the
     * writer then holds one tensor at a time (DeepSeek-V2-Lite at F16 is 31 GB, more than the heap). Every random
     * tensor is made this way, so the generator is drawn in file order and a seed gives the same file as before.
     */
    private static Supplier<MemorySegment> matrix(SplittableRandom rnd, GgmlType type, int rows, int cols) {
        return () -> MemorySegment.ofArray(gaussian(rnd, type, rows, cols));
    }

    /** {@code [rows][cols]} Gaussian values (σ 0.02) in {@code type}, quantized a band of rows at a time. */
    private static byte[] gaussian(SplittableRandom rnd, GgmlType type, int rows, int cols) {
        long rowBytes = type.bytesFor(cols);
        byte[] out = new byte[Math.toIntExact(rows * rowBytes)];
        int band = Math.max(1, (1 << 20) / cols);
        float[] src = new float[band * cols];
        for (int r0 = 0; r0 < rows; r0 += band) {
            int n = Math.min(band, rows - r0);
            for (int i = 0; i < n * cols; i++) {
                src[i] = (float) (rnd.nextGaussian() * 0.02);
            }
            byte[] q = Quantizer.quantize(type, n == band ? src : java.util.Arrays.copyOf(src, n * cols), n, cols);
            System.arraycopy(q, 0, out, Math.toIntExact(r0 * rowBytes), q.length);
        }
        return out;
    }

    private static byte[] ones(int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, 1f);
        return floats(v);
    }

    /** {@code n} Gaussian F32 values (σ 0.02), made at write time like {@link #matrix}. */
    private static Supplier<MemorySegment> f32(SplittableRandom rnd, int n) {
        return () -> MemorySegment.ofArray(gaussianF32(rnd, n));
    }

    private static byte[] gaussianF32(SplittableRandom rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rnd.nextGaussian() * 0.02);
        }
        return floats(v);
    }

    private static byte[] floats(float[] v) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(v.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }
}
