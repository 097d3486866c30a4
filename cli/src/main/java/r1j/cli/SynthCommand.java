package r1j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
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
        QWEN2_0_5B("qwen2-0.5b", "qwen2", 896, 24, 14, 2, 4864, 0, true, 1_000_000f, 1e-6f),
        QWEN2_1_5B("qwen2-1.5b", "qwen2", 1536, 28, 12, 2, 8960, 0, true, 1_000_000f, 1e-6f),
        /** DeepSeek-R1-Distill-Qwen-1.5B: Qwen2.5-Math-1.5B's shape with an untied output head. */
        R1_QWEN_1_5B("r1-qwen-1.5b", "qwen2", 1536, 28, 12, 2, 8960, 151936, false, 10_000f, 1e-6f),
        /** Llama 3.2 1B (without its rope_freqs scaling table, which does not change the speed). */
        LLAMA_3_2_1B("llama-3.2-1b", "llama", 2048, 16, 32, 8, 8192, 128256, true, 500_000f, 1e-5f);

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

        Shape(String label, String arch, int dim, int layers, int heads, int kvHeads, int ffn, int vocab, boolean tied,
              float ropeTheta, float eps) {
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
            throw new IllegalArgumentException("unknown shape '" + label + "'; use qwen2-0.5b, qwen2-1.5b, r1-qwen-1.5b or llama-3.2-1b");
        }
    }

    /** Embedding rows of every Qwen2/2.5 model (config.json {@code vocab_size}), 151,665 tokens padded. */
    static final int QWEN2_EMBEDDING_ROWS = 151_936;

    @Spec
    CommandSpec spec;

    @Option(names = "--shape", defaultValue = "qwen2-0.5b",
            description = "qwen2-0.5b, qwen2-1.5b, r1-qwen-1.5b or llama-3.2-1b (default: ${DEFAULT-VALUE})")
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
            description = "keep only the first N blocks (default: all of the shape's; fewer for quick tests)")
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
            int kvDim = s.dim / s.heads * s.kvHeads;
            GgmlType embdType = s.tied ? type.output() : type.embedding();
            w.addTensor("token_embd.weight", embdType, new long[] {s.dim, vocab}, matrix(rnd, embdType, vocab, s.dim));
            w.addTensor("output_norm.weight", GgmlType.F32, new long[] {s.dim}, ones(s.dim));
            if (!s.tied) {
                w.addTensor("output.weight", type.output(), new long[] {s.dim, vocab}, matrix(rnd, type.output(), vocab, s.dim));
            }
            for (int l = 0; l < blocks; l++) {
                String b = "blk." + l + ".";
                GgmlType main = type.layer(), more = type.moreBits(l, blocks);
                w.addTensor(b + "attn_norm.weight", GgmlType.F32, new long[] {s.dim}, ones(s.dim));
                w.addTensor(b + "attn_q.weight", main, new long[] {s.dim, s.dim}, matrix(rnd, main, s.dim, s.dim));
                w.addTensor(b + "attn_k.weight", main, new long[] {s.dim, kvDim}, matrix(rnd, main, kvDim, s.dim));
                w.addTensor(b + "attn_v.weight", more, new long[] {s.dim, kvDim}, matrix(rnd, more, kvDim, s.dim));
                if (s.arch.equals("qwen2")) {
                    w.addTensor(b + "attn_q.bias", GgmlType.F32, new long[] {s.dim}, f32(rnd, s.dim));
                    w.addTensor(b + "attn_k.bias", GgmlType.F32, new long[] {kvDim}, f32(rnd, kvDim));
                    w.addTensor(b + "attn_v.bias", GgmlType.F32, new long[] {kvDim}, f32(rnd, kvDim));
                }
                w.addTensor(b + "attn_output.weight", main, new long[] {s.dim, s.dim}, matrix(rnd, main, s.dim, s.dim));
                w.addTensor(b + "ffn_norm.weight", GgmlType.F32, new long[] {s.dim}, ones(s.dim));
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
    }

    /** {@code [rows][cols]} Gaussian values (σ 0.02) in {@code type}, quantized a band of rows at a time. */
    private static byte[] matrix(SplittableRandom rnd, GgmlType type, int rows, int cols) {
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

    private static byte[] f32(SplittableRandom rnd, int n) {
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
