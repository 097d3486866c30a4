package r1j.model;

import java.io.IOException;
import java.nio.file.Path;
import r1j.gguf.GgufFile;
import r1j.gguf.GgufMetadata;
import r1j.tensor.WeightMatrix;

/**
 * A plain, one-token-at-a-time, double-precision {@code deepseek2} forward written from DeepSeek's
 * {@code modeling_deepseek.py} equations, in the NAIVE layout: each position's per-head keys
 * {@code [W^UK_h c | k^R]} and values {@code W^UV_h c} are decompressed and cached, as llama.cpp's snapshot does.
 * Routing is {@link PaperRouting}. It shares no code with {@link DeepSeek2}: it reads the metadata keys, RoPE with
 * YaRN, and the tensors itself.
 */
final class ReferenceDeepSeek2 {

    private final int dim, layers, heads, vocab, dense, qLora, kvLora, nope, rope, vd, experts, used, groups, groupsUsed;
    private final boolean sigmoid, norm;
    private final double eps, base, scale, kqScale, freqScale, yarnLow, yarnHigh;
    private final boolean yarn;
    private final double[][] embd, out;
    private final double[] outNorm;
    private final GgufFile f;

    ReferenceDeepSeek2(Path path) throws IOException {
        f = GgufFile.open(path);
        GgufMetadata md = f.metadata();
        String a = "deepseek2.";
        dim = md.getInt(a + "embedding_length");
        layers = md.getInt(a + "block_count");
        heads = md.getInt(a + "attention.head_count");
        dense = md.getInt(a + "leading_dense_block_count");
        qLora = md.getInt(a + "attention.q_lora_rank", 0);
        kvLora = md.getInt(a + "attention.kv_lora_rank");
        rope = md.getInt(a + "rope.dimension_count");
        nope = md.getInt(a + "attention.key_length") - rope;
        vd = md.getInt(a + "attention.value_length");
        experts = md.getInt(a + "expert_count");
        used = md.getInt(a + "expert_used_count");
        groups = md.getInt(a + "expert_group_count", 1);
        groupsUsed = md.getInt(a + "expert_group_used_count", groups);
        sigmoid = md.getInt(a + "expert_gating_func", 1) == 2;
        norm = md.getBoolean(a + "expert_weights_norm", false);
        scale = md.getFloat(a + "expert_weights_scale", 1f);
        eps = md.getFloat(a + "attention.layer_norm_rms_epsilon");
        base = md.getFloat(a + "rope.freq_base");
        yarn = md.getString(a + "rope.scaling.type", "none").equals("yarn");
        double factor = yarn ? md.getFloat(a + "rope.scaling.factor") : 1;
        freqScale = 1 / factor;
        double mscale = yarn ? 1 + md.getFloat(a + "rope.scaling.yarn_log_multiplier") * Math.log(factor) : 1;
        kqScale = mscale * mscale / Math.sqrt(nope + rope);
        int orig = yarn ? md.getInt(a + "rope.scaling.original_context_length") : 0;
        yarnLow = yarn ? Math.max(0, Math.floor(rope * Math.log(orig / (32 * 2 * Math.PI)) / (2 * Math.log(base)))) : 0;
        yarnHigh = yarn ? Math.min(rope - 1, Math.ceil(rope * Math.log(orig / (1 * 2 * Math.PI)) / (2 * Math.log(base)))) : 0;
        embd = rows("token_embd.weight");
        vocab = embd.length;
        out = rows("output.weight");
        outNorm = rows("output_norm.weight")[0];
    }

    /** Logits of every position of {@code tokens}, {@code [n][vocab]}. */
    float[] logits(int[] tokens) {
        int n = tokens.length;
        double[][][][] kc = new double[layers][n][][], vc = new double[layers][n][][]; // [layer][pos][head][...]
        float[] result = new float[n * vocab];
        for (int p = 0; p < n; p++) {
            double[] h = embd[tokens[p]].clone();
            for (int l = 0; l < layers; l++) {
                String b = "blk." + l + ".";
                double[] x = rmsNorm(h, vec(b + "attn_norm.weight"));
                double[] q = qLora > 0
                        ? mul(rows(b + "attn_q_b.weight"), rmsNorm(mul(rows(b + "attn_q_a.weight"), x), vec(b + "attn_q_a_norm.weight")))
                        : mul(rows(b + "attn_q.weight"), x);
                double[] kva = mul(rows(b + "attn_kv_a_mqa.weight"), x);
                double[] c = rmsNorm(java.util.Arrays.copyOf(kva, kvLora), vec(b + "attn_kv_a_norm.weight"));
                double[] kpe = java.util.Arrays.copyOfRange(kva, kvLora, kvLora + rope);
                rotate(kpe, 0, p);
                double[] kv = mul(rows(b + "attn_kv_b.weight"), c); // per head [k_nope | v]
                kc[l][p] = new double[heads][];
                vc[l][p] = new double[heads][];
                for (int hd = 0; hd < heads; hd++) {
                    double[] k = new double[nope + rope];
                    System.arraycopy(kv, hd * (nope + vd), k, 0, nope);
                    System.arraycopy(kpe, 0, k, nope, rope);
                    kc[l][p][hd] = k;
                    vc[l][p][hd] = java.util.Arrays.copyOfRange(kv, hd * (nope + vd) + nope, (hd + 1) * (nope + vd));
                }
                double[] att = new double[heads * vd];
                for (int hd = 0; hd < heads; hd++) {
                    double[] qh = java.util.Arrays.copyOfRange(q, hd * (nope + rope), (hd + 1) * (nope + rope));
                    rotate(qh, nope, p);
                    double[] s = new double[p + 1];
                    double max = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int t = 0; t <= p; t++) {
                        for (int i = 0; i < qh.length; i++) s[t] += qh[i] * kc[l][t][hd][i];
                        s[t] *= kqScale;
                        max = Math.max(max, s[t]);
                    }
                    for (int t = 0; t <= p; t++) sum += s[t] = Math.exp(s[t] - max);
                    for (int t = 0; t <= p; t++) {
                        for (int i = 0; i < vd; i++) att[hd * vd + i] += s[t] / sum * vc[l][t][hd][i];
                    }
                }
                add(h, mul(rows(b + "attn_output.weight"), att));
                x = rmsNorm(h, vec(b + "ffn_norm.weight"));
                if (l < dense) {
                    add(h, swiGlu(rows(b + "ffn_gate.weight"), rows(b + "ffn_up.weight"), rows(b + "ffn_down.weight"), x));
                } else {
                    add(h, moe(b, x));
                }
            }
            double[] logits = mul(out, rmsNorm(h, outNorm));
            for (int v = 0; v < vocab; v++) result[p * vocab + v] = (float) logits[v];
        }
        return result;
    }

    private double[] moe(String b, double[] x) {
        double[] u = mul(rows(b + "ffn_gate_inp.weight"), x);
        double[] bias = f.tensor(b + "exp_probs_b.bias") != null ? vec(b + "exp_probs_b.bias") : null;
        PaperRouting.Choice choice = PaperRouting.route(u, bias, used, sigmoid, norm, scale, groups, groupsUsed);
        double[][] gate = rows(b + "ffn_gate_exps.weight"), up = rows(b + "ffn_up_exps.weight"), down = rows(b + "ffn_down_exps.weight");
        int ff = gate.length / experts;
        double[] y = swiGlu(rows(b + "ffn_gate_shexp.weight"), rows(b + "ffn_up_shexp.weight"), rows(b + "ffn_down_shexp.weight"), x);
        for (int j = 0; j < used; j++) {
            int e = choice.experts()[j];
            double[] ye = swiGlu(java.util.Arrays.copyOfRange(gate, e * ff, (e + 1) * ff),
                    java.util.Arrays.copyOfRange(up, e * ff, (e + 1) * ff),
                    java.util.Arrays.copyOfRange(down, e * dim, (e + 1) * dim), x);
            for (int i = 0; i < dim; i++) y[i] += choice.weights()[j] * ye[i];
        }
        return y;
    }

    /** NORM-style RoPE on {@code x[off .. off + rope)} at position {@code pos}, with YaRN when the file asks. */
    private void rotate(double[] x, int off, int pos) {
        for (int i = 0; i < rope / 2; i++) {
            double extrap = pos * Math.pow(base, -2.0 * i / rope);
            double theta = extrap;
            if (yarn) {
                double ramp = 1 - Math.min(1, Math.max(0, (i - yarnLow) / Math.max(0.001, yarnHigh - yarnLow)));
                theta = extrap * freqScale * (1 - ramp) + extrap * ramp;
            }
            double x0 = x[off + 2 * i], x1 = x[off + 2 * i + 1];
            x[off + 2 * i] = x0 * Math.cos(theta) - x1 * Math.sin(theta);
            x[off + 2 * i + 1] = x0 * Math.sin(theta) + x1 * Math.cos(theta);
        }
    }

    private static double[] swiGlu(double[][] g, double[][] u, double[][] d, double[] x) {
        double[] a = mul(g, x), bb = mul(u, x);
        for (int i = 0; i < a.length; i++) a[i] = a[i] / (1 + Math.exp(-a[i])) * bb[i];
        return mul(d, a);
    }

    private double[] rmsNorm(double[] x, double[] w) {
        double ss = 0;
        for (double v : x) ss += v * v;
        double s = 1 / Math.sqrt(ss / x.length + eps);
        double[] o = new double[x.length];
        for (int i = 0; i < x.length; i++) o[i] = x[i] * s * w[i];
        return o;
    }

    private static double[] mul(double[][] w, double[] x) {
        double[] o = new double[w.length];
        for (int r = 0; r < w.length; r++) for (int c = 0; c < x.length; c++) o[r] += w[r][c] * x[c];
        return o;
    }

    private static void add(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) a[i] += b[i];
    }

    private double[] vec(String name) { return rows(name)[0]; }

    private double[][] rows(String name) {
        WeightMatrix m = f.matrix(name);
        float[] row = new float[m.cols()];
        double[][] o = new double[m.rows()][m.cols()];
        for (int r = 0; r < m.rows(); r++) {
            m.dequantizeRowReference(r, row, 0);
            for (int c = 0; c < row.length; c++) o[r][c] = row[c];
        }
        return o;
    }

    void close() { f.close(); }
}
