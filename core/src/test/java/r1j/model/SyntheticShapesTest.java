package r1j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static r1j.model.GoldenModels.maxAbsDiff;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import r1j.gguf.GgufWriter;
import r1j.tensor.GgmlType;
import r1j.tensor.Quantizer;

/**
 * Shapes the golden models do not have — widths that are not powers of two, head sizes other than dim / heads,
 * partial RoPE, multi-head and grouped attention with other group sizes, tied output, linear RoPE scaling, qwen3's
 * per-head q/k norms, qwen3moe's experts —
 * written with seeded weights and checked against {@link ReferenceTransformer}, a plain double-precision loop.
 */
class SyntheticShapesTest {

    /** F32 math (F32 KV cache) vs a double-precision reference on the same (dequantized) weights. */
    static final float TOLERANCE = 1e-4f;

    @TempDir
    Path dir;

    /** {@code experts > 0}: every block's feed-forward is {@code experts} experts of width ff, {@code used} per token. */
    record Shape(String arch, GgmlType type, int dim, int heads, int kvHeads, int headSize, int ropeDims, int ff,
                 int vocab, boolean tied, float linearScale, int experts, int used) {
        Shape(String arch, GgmlType type, int dim, int heads, int kvHeads, int headSize, int ropeDims, int ff,
              int vocab, boolean tied, float linearScale) {
            this(arch, type, dim, heads, kvHeads, headSize, ropeDims, ff, vocab, tied, linearScale, 0, 0);
        }
    }

    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of(new Shape("llama", GgmlType.F32, 96, 3, 1, 32, 32, 160, 100, false, 0)),
                Arguments.of(new Shape("qwen2", GgmlType.F16, 96, 6, 2, 16, 8, 130, 77, false, 0)),
                Arguments.of(new Shape("llama", GgmlType.Q8_0, 96, 4, 4, 48, 48, 160, 64, true, 4)),
                Arguments.of(new Shape("qwen2", GgmlType.BF16, 40, 5, 5, 8, 6, 24, 33, true, 0)),
                // qwen3: per-head q/k RMSNorm, heads * headSize wider than dim (as in Qwen3-0.6B), no biases
                Arguments.of(new Shape("qwen3", GgmlType.F32, 96, 4, 2, 32, 32, 160, 70, false, 0)),
                Arguments.of(new Shape("qwen3", GgmlType.Q8_0, 64, 4, 1, 32, 32, 96, 50, true, 0)),
                // qwen3moe: qwen3's attention, 8 experts (3 per token) of width 48 or 64, no shared experts
                Arguments.of(new Shape("qwen3moe", GgmlType.F32, 96, 4, 2, 32, 32, 48, 70, false, 0, 8, 3)),
                Arguments.of(new Shape("qwen3moe", GgmlType.Q8_0, 64, 4, 1, 32, 32, 64, 50, true, 0, 8, 2)));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void forward_matchesThePlainReference_batchedAndTokenByToken(Shape s) throws Exception {
        Path file = write(s, dir.resolve("m.gguf"), 42);
        int[] tokens = new Random(7).ints(21, 0, s.vocab()).toArray();
        float[] expected = new ReferenceTransformer(file, s.arch(), !s.arch().equals("llama"),
                s.linearScale() > 0 ? 1 / s.linearScale() : 1).logits(tokens);
        try (LanguageModel model = ModelLoader.load(file)) {
            int vocab = model.config().vocab();
            float[] batched = new float[tokens.length * vocab];
            model.forward(Batch.ofSequence(tokens, 0, true), model.newCache(1, 32, KvCacheType.F32), batched);
            assertThat(maxAbsDiff(batched, expected, batched.length)).isLessThanOrEqualTo(TOLERANCE);

            KvCache cache = model.newCache(1, 32, KvCacheType.F32);
            float[] step = new float[vocab];
            for (int p = 0; p < tokens.length; p++) {
                model.forward(Batch.ofSequence(new int[] {tokens[p]}, p, true), cache, step);
                float[] row = Arrays.copyOfRange(expected, p * vocab, (p + 1) * vocab);
                assertThat(maxAbsDiff(step, row, vocab)).as("position %d", p).isLessThanOrEqualTo(TOLERANCE);
            }
        }
    }

    private static Path write(Shape s, Path path, long seed) throws Exception {
        Random r = new Random(seed);
        String a = s.arch();
        int q = s.heads() * s.headSize(), kv = s.kvHeads() * s.headSize();
        GgufWriter w = new GgufWriter()
                .putString("general.architecture", a)
                .putUint32(a + ".embedding_length", s.dim())
                .putUint32(a + ".feed_forward_length", s.ff())
                .putUint32(a + ".block_count", 2)
                .putUint32(a + ".attention.head_count", s.heads())
                .putUint32(a + ".attention.head_count_kv", s.kvHeads())
                .putUint32(a + ".attention.key_length", s.headSize())
                .putUint32(a + ".attention.value_length", s.headSize())
                .putUint32(a + ".rope.dimension_count", s.ropeDims())
                .putFloat32(a + ".rope.freq_base", 500f)
                .putFloat32(a + ".attention.layer_norm_rms_epsilon", 1e-5f)
                .putUint32(a + ".context_length", 256);
        if (s.experts() > 0) {
            w.putUint32(a + ".expert_count", s.experts()).putUint32(a + ".expert_used_count", s.used())
                    .putUint32(a + ".expert_feed_forward_length", s.ff());
        }
        if (s.linearScale() > 0) w.putString(a + ".rope.scaling.type", "linear").putFloat32(a + ".rope.scaling.factor", s.linearScale());
        w.addTensor("token_embd.weight", s.type(), new long[] {s.dim(), s.vocab()}, matrix(r, s.type(), s.vocab(), s.dim(), 0.5));
        for (int l = 0; l < 2; l++) {
            String p = "blk." + l + ".";
            w.addTensor(p + "attn_norm.weight", GgmlType.F32, new long[] {s.dim()}, norm(r, s.dim()));
            w.addTensor(p + "attn_q.weight", s.type(), new long[] {s.dim(), q}, matrix(r, s.type(), q, s.dim(), 0.2));
            w.addTensor(p + "attn_k.weight", s.type(), new long[] {s.dim(), kv}, matrix(r, s.type(), kv, s.dim(), 0.2));
            w.addTensor(p + "attn_v.weight", s.type(), new long[] {s.dim(), kv}, matrix(r, s.type(), kv, s.dim(), 0.2));
            if (a.equals("qwen2")) {
                w.addTensor(p + "attn_q.bias", GgmlType.F32, new long[] {q}, f32(r, q, 0, 0.2));
                w.addTensor(p + "attn_k.bias", GgmlType.F32, new long[] {kv}, f32(r, kv, 0, 0.2));
                w.addTensor(p + "attn_v.bias", GgmlType.F32, new long[] {kv}, f32(r, kv, 0, 0.2));
            }
            if (a.startsWith("qwen3")) {
                w.addTensor(p + "attn_q_norm.weight", GgmlType.F32, new long[] {s.headSize()}, norm(r, s.headSize()));
                w.addTensor(p + "attn_k_norm.weight", GgmlType.F32, new long[] {s.headSize()}, norm(r, s.headSize()));
            }
            w.addTensor(p + "attn_output.weight", s.type(), new long[] {q, s.dim()}, matrix(r, s.type(), s.dim(), q, 0.1));
            w.addTensor(p + "ffn_norm.weight", GgmlType.F32, new long[] {s.dim()}, norm(r, s.dim()));
            if (s.experts() > 0) {
                int e = s.experts();
                w.addTensor(p + "ffn_gate_inp.weight", GgmlType.F32, new long[] {s.dim(), e}, matrix(r, GgmlType.F32, e, s.dim(), 0.5));
                w.addTensor(p + "ffn_gate_exps.weight", s.type(), new long[] {s.dim(), s.ff(), e}, matrix(r, s.type(), e * s.ff(), s.dim(), 0.2));
                w.addTensor(p + "ffn_up_exps.weight", s.type(), new long[] {s.dim(), s.ff(), e}, matrix(r, s.type(), e * s.ff(), s.dim(), 0.2));
                w.addTensor(p + "ffn_down_exps.weight", s.type(), new long[] {s.ff(), s.dim(), e}, matrix(r, s.type(), e * s.dim(), s.ff(), 0.1));
            } else {
                w.addTensor(p + "ffn_gate.weight", s.type(), new long[] {s.dim(), s.ff()}, matrix(r, s.type(), s.ff(), s.dim(), 0.2));
                w.addTensor(p + "ffn_up.weight", s.type(), new long[] {s.dim(), s.ff()}, matrix(r, s.type(), s.ff(), s.dim(), 0.2));
                w.addTensor(p + "ffn_down.weight", s.type(), new long[] {s.ff(), s.dim()}, matrix(r, s.type(), s.dim(), s.ff(), 0.1));
            }
        }
        w.addTensor("output_norm.weight", GgmlType.F32, new long[] {s.dim()}, norm(r, s.dim()));
        if (!s.tied()) w.addTensor("output.weight", s.type(), new long[] {s.dim(), s.vocab()}, matrix(r, s.type(), s.vocab(), s.dim(), 0.2));
        w.write(path);
        return path;
    }

    private static byte[] matrix(Random r, GgmlType type, int rows, int cols, double std) {
        float[] values = new float[rows * cols];
        for (int i = 0; i < values.length; i++) values[i] = (float) (r.nextGaussian() * std);
        return Quantizer.quantize(type, values, rows, cols);
    }

    private static byte[] norm(Random r, int n) {
        return f32(r, n, 1, 0.1);
    }

    private static byte[] f32(Random r, int n, double mean, double std) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) values[i] = (float) (mean + r.nextGaussian() * std);
        return GgufRewriter.f32Bytes(values);
    }
}
