package r1j.train.recipe;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import r1j.gguf.GgufFile;
import r1j.gguf.GgufMetadata;
import r1j.gguf.GgufTensorInfo;
import r1j.gguf.GgufWriter;
import r1j.tensor.GgmlType;
import r1j.train.autograd.Var;
import r1j.train.data.TinyVocab;
import r1j.train.nn.Params;
import r1j.train.nn.TinyConfig;

/**
 * Writes the tiny model as a standard {@code llama}-architecture GGUF (F32 tensors, only keys llama.cpp knows: the
 * hyper-parameters, the GPT-2 style tokenizer with the {@code deepseek-r1-qwen} pre-tokenizer, the DeepSeek-R1 chat
 * template, and {@code general.*} naming the recipe), and reads such a file back into {@link Params}.
 */
public final class GgufExport {
    private static final String ARCH = "llama";
    private static final String TEMPLATE = "/r1j/train/r1-chat-template.jinja";

    private GgufExport() {}

    /**
     * @param description what produced the weights (recipe, stages, seed), stored as {@code general.description}
     */
    public static void write(Params p, TinyVocab vocab, String name, String description, Path out) throws IOException {
        TinyConfig c = p.config();
        GgufWriter w = new GgufWriter()
                .putString("general.architecture", ARCH)
                .putString("general.name", name)
                .putString("general.basename", "tiny-r1")
                .putString("general.description", description)
                .putString("general.organization", "r1j")
                .putString("general.license", "mit") // the repository's LICENSE
                .putUint32("general.file_type", 0) // all F32
                .putUint32(ARCH + ".context_length", c.context())
                .putUint32(ARCH + ".embedding_length", c.dim())
                .putUint32(ARCH + ".block_count", c.layers())
                .putUint32(ARCH + ".feed_forward_length", c.hiddenDim())
                .putUint32(ARCH + ".attention.head_count", c.heads())
                .putUint32(ARCH + ".attention.head_count_kv", c.kvHeads())
                .putFloat32(ARCH + ".attention.layer_norm_rms_epsilon", c.rmsEps())
                .putFloat32(ARCH + ".rope.freq_base", c.ropeTheta())
                .putUint32(ARCH + ".rope.dimension_count", c.headSize())
                .putUint32(ARCH + ".vocab_size", c.vocab())
                .putString("tokenizer.ggml.model", "gpt2")
                .putString("tokenizer.ggml.pre", "deepseek-r1-qwen")
                .putStringArray("tokenizer.ggml.tokens", vocab.tokens().toArray(String[]::new))
                .putInt32Array("tokenizer.ggml.token_type", vocab.tokenTypes())
                .putStringArray("tokenizer.ggml.merges", vocab.merges().toArray(String[]::new))
                .putUint32("tokenizer.ggml.bos_token_id", vocab.bos())
                .putUint32("tokenizer.ggml.eos_token_id", vocab.eos())
                .putUint32("tokenizer.ggml.padding_token_id", vocab.eos())
                .putBool("tokenizer.ggml.add_bos_token", true)
                .putBool("tokenizer.ggml.add_eos_token", false)
                .putString("tokenizer.chat_template", chatTemplate());
        for (var e : p.tensors().entrySet()) {
            Var v = e.getValue();
            String n = e.getKey();
            if (v.rows() == 1) { // norm gain: 1-D [dim]
                w.addTensor(n, GgmlType.F32, new long[] {v.cols()}, bytes(v.value()));
            } else if (n.equals("token_embd.weight")) { // already [vocab rows of dim]
                w.addTensor(n, GgmlType.F32, new long[] {v.cols(), v.rows()}, bytes(v.value()));
            } else { // ours [in, out] -> GGUF ne = {in, out}: rows of `in` per output
                w.addTensor(n, GgmlType.F32, new long[] {v.rows(), v.cols()}, bytes(transpose(v)));
            }
        }
        w.write(out);
    }

    /** Reads a file written by {@link #write} (or any F32 llama GGUF of the same vocabulary) back into parameters. */
    public static Params read(Path path) throws IOException {
        try (GgufFile f = GgufFile.open(path)) {
            GgufMetadata m = f.metadata();
            String arch = m.getString("general.architecture");
            if (!arch.equals(ARCH)) {
                throw new IOException("%s: architecture '%s'; training reads only llama F32 files written by r1j train".formatted(path, arch));
            }
            TinyConfig c = new TinyConfig(m.getInt(ARCH + ".embedding_length"), m.getInt(ARCH + ".feed_forward_length"),
                    m.getInt(ARCH + ".block_count"), m.getInt(ARCH + ".attention.head_count"),
                    m.getInt(ARCH + ".attention.head_count_kv"), m.getStringArray("tokenizer.ggml.tokens").length,
                    m.getInt(ARCH + ".context_length"), m.getFloat(ARCH + ".attention.layer_norm_rms_epsilon"),
                    m.getFloat(ARCH + ".rope.freq_base"));
            Params p = Params.zeros(c);
            for (var e : p.tensors().entrySet()) {
                GgufTensorInfo info = f.tensor(e.getKey());
                if (info.type() != GgmlType.F32) {
                    throw new IOException("%s: tensor %s is %s; training reads F32 only".formatted(path, e.getKey(), info.type()));
                }
                Var v = e.getValue();
                float[] data = f.data(info).toArray(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN));
                if (data.length != v.size()) {
                    throw new IOException("%s: tensor %s has %d values, expected %d".formatted(path, e.getKey(), data.length, v.size()));
                }
                boolean transposed = v.rows() > 1 && !e.getKey().equals("token_embd.weight");
                if (transposed) { // GGUF [out rows of in] -> ours [in, out]
                    for (int o = 0; o < v.cols(); o++) {
                        for (int i = 0; i < v.rows(); i++) {
                            v.value()[i * v.cols() + o] = data[o * v.rows() + i];
                        }
                    }
                } else {
                    System.arraycopy(data, 0, v.value(), 0, data.length);
                }
            }
            return p;
        }
    }

    /** The DeepSeek-R1-Distill chat template (as llama.cpp ships it). */
    public static String chatTemplate() throws IOException {
        try (InputStream in = GgufExport.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IOException("missing resource " + TEMPLATE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static float[] transpose(Var v) {
        float[] t = new float[v.size()];
        for (int i = 0; i < v.rows(); i++) {
            for (int o = 0; o < v.cols(); o++) {
                t[o * v.rows() + i] = v.value()[i * v.cols() + o];
            }
        }
        return t;
    }

    private static byte[] bytes(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

}
