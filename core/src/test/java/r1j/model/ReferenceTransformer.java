package r1j.model;

import java.io.IOException;
import java.nio.file.Path;
import r1j.gguf.GgufFile;
import r1j.tensor.WeightMatrix;

/**
 * A plain, one-token-at-a-time, double-precision transformer written straight from the llama/qwen2/qwen3 equations, for
 * checking r1j's batched forward on shapes the golden models do not cover (odd widths, partial RoPE, other
 * group sizes). It shares no code with {@code r1j.model}: it reads the dequantized weights from the file itself.
 *
 * <p>Blocks with a router ({@code ffn_gate_inp}) are Qwen3-MoE's sparse block as Hugging Face's
 * {@code Qwen3MoeSparseMoeBlock} computes it: {@code p = softmax(W_gate_inp x)}, the {@code expert_used_count}
 * largest {@code p_i} (ties to the lower index), weights {@code p_i / sum} of the chosen when
 * {@code expert_weights_norm} ({@code norm_topk_prob}, default true) else {@code p_i}, and
 * {@code sum_j w_j down_j(silu(gate_j x) * up_j x)}.
 */
final class ReferenceTransformer {

    private final int dim, layers, heads, kvHeads, hs, ropeDims, vocab;
    private final double eps, base, freqScale;
    private final boolean neox;
    private final double[][] embd, out, attnNorm, ffnNorm, bq, bk, bv, qNorm, kNorm;
    private final double[][][] wq, wk, wv, wo, wg, wu, wd, router;
    private final double[][][][] eg, eu, ed; // [layer][expert][row][col]
    private final int expertsUsed;
    private final boolean normTopK;
    private final double[] outNorm;

    /** @param freqScale 1 / linear rope scaling factor (1 for none) */
    ReferenceTransformer(Path path, String arch, boolean neox, double freqScale) throws IOException {
        try (GgufFile f = GgufFile.open(path)) {
            var md = f.metadata();
            dim = md.getInt(arch + ".embedding_length");
            layers = md.getInt(arch + ".block_count");
            heads = md.getInt(arch + ".attention.head_count");
            kvHeads = md.getInt(arch + ".attention.head_count_kv");
            hs = md.getInt(arch + ".attention.key_length", dim / heads);
            ropeDims = md.getInt(arch + ".rope.dimension_count", hs);
            eps = md.getFloat(arch + ".attention.layer_norm_rms_epsilon");
            base = md.getFloat(arch + ".rope.freq_base");
            this.neox = neox;
            this.freqScale = freqScale;
            embd = rows(f, "token_embd.weight");
            vocab = embd.length;
            out = f.tensor("output.weight") != null ? rows(f, "output.weight") : embd;
            outNorm = rows(f, "output_norm.weight")[0];
            attnNorm = new double[layers][]; ffnNorm = new double[layers][];
            qNorm = new double[layers][]; kNorm = new double[layers][];
            bq = new double[layers][]; bk = new double[layers][]; bv = new double[layers][];
            wq = new double[layers][][]; wk = new double[layers][][]; wv = new double[layers][][]; wo = new double[layers][][];
            wg = new double[layers][][]; wu = new double[layers][][]; wd = new double[layers][][];
            router = new double[layers][][];
            eg = new double[layers][][][]; eu = new double[layers][][][]; ed = new double[layers][][][];
            expertsUsed = md.getInt(arch + ".expert_used_count", 0);
            normTopK = md.getBoolean(arch + ".expert_weights_norm", true);
            for (int l = 0; l < layers; l++) {
                String p = "blk." + l + ".";
                attnNorm[l] = rows(f, p + "attn_norm.weight")[0];
                ffnNorm[l] = rows(f, p + "ffn_norm.weight")[0];
                wq[l] = rows(f, p + "attn_q.weight"); wk[l] = rows(f, p + "attn_k.weight"); wv[l] = rows(f, p + "attn_v.weight");
                wo[l] = rows(f, p + "attn_output.weight");
                if (f.tensor(p + "ffn_gate_inp.weight") != null) {
                    router[l] = rows(f, p + "ffn_gate_inp.weight");
                    int experts = router[l].length;
                    eg[l] = experts(f, p + "ffn_gate_exps.weight", experts);
                    eu[l] = experts(f, p + "ffn_up_exps.weight", experts);
                    ed[l] = experts(f, p + "ffn_down_exps.weight", experts);
                } else {
                    wg[l] = rows(f, p + "ffn_gate.weight"); wu[l] = rows(f, p + "ffn_up.weight"); wd[l] = rows(f, p + "ffn_down.weight");
                }
                if (f.tensor(p + "attn_q_norm.weight") != null) {
                    qNorm[l] = rows(f, p + "attn_q_norm.weight")[0]; kNorm[l] = rows(f, p + "attn_k_norm.weight")[0];
                }
                if (f.tensor(p + "attn_q.bias") != null) {
                    bq[l] = rows(f, p + "attn_q.bias")[0]; bk[l] = rows(f, p + "attn_k.bias")[0]; bv[l] = rows(f, p + "attn_v.bias")[0];
                }
            }
        }
    }

    /** Logits of every position of {@code tokens}, {@code [n][vocab]}. */
    float[] logits(int[] tokens) {
        int n = tokens.length;
        double[][][] kc = new double[layers][n][], vc = new double[layers][n][];
        float[] result = new float[n * vocab];
        for (int p = 0; p < n; p++) {
            double[] h = embd[tokens[p]].clone();
            for (int l = 0; l < layers; l++) {
                double[] x = norm(h, attnNorm[l]);
                double[] q = add(mul(wq[l], x), bq[l]), k = add(mul(wk[l], x), bk[l]), v = add(mul(wv[l], x), bv[l]);
                if (qNorm[l] != null) {
                    for (int hd = 0; hd < heads; hd++) normHead(q, hd * hs, qNorm[l]);
                    for (int hd = 0; hd < kvHeads; hd++) normHead(k, hd * hs, kNorm[l]);
                }
                for (int hd = 0; hd < heads; hd++) rope(q, hd * hs, p);
                for (int hd = 0; hd < kvHeads; hd++) rope(k, hd * hs, p);
                kc[l][p] = k; vc[l][p] = v;
                double[] att = new double[heads * hs];
                for (int hd = 0; hd < heads; hd++) {
                    int kvh = hd / (heads / kvHeads);
                    double[] s = new double[p + 1];
                    double max = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int t = 0; t <= p; t++) {
                        for (int i = 0; i < hs; i++) s[t] += q[hd * hs + i] * kc[l][t][kvh * hs + i];
                        s[t] /= Math.sqrt(hs);
                        max = Math.max(max, s[t]);
                    }
                    for (int t = 0; t <= p; t++) sum += s[t] = Math.exp(s[t] - max);
                    for (int t = 0; t <= p; t++) for (int i = 0; i < hs; i++) att[hd * hs + i] += s[t] / sum * vc[l][t][kvh * hs + i];
                }
                h = add(h, mul(wo[l], att));
                x = norm(h, ffnNorm[l]);
                h = add(h, router[l] != null ? moe(l, x) : swiGlu(wg[l], wu[l], wd[l], x));
            }
            double[] logits = mul(out, norm(h, outNorm));
            for (int v = 0; v < vocab; v++) result[p * vocab + v] = (float) logits[v];
        }
        return result;
    }

    private static double[] swiGlu(double[][] gate, double[][] up, double[][] down, double[] x) {
        double[] g = mul(gate, x), u = mul(up, x);
        for (int i = 0; i < g.length; i++) g[i] = g[i] / (1 + Math.exp(-g[i])) * u[i];
        return mul(down, g);
    }

    /** Qwen3-MoE's sparse block (see the class comment). */
    private double[] moe(int l, double[] x) {
        double[] logits = mul(router[l], x);
        double max = Double.NEGATIVE_INFINITY, total = 0;
        for (double v : logits) max = Math.max(max, v);
        double[] p = new double[logits.length];
        for (int i = 0; i < p.length; i++) total += p[i] = Math.exp(logits[i] - max);
        for (int i = 0; i < p.length; i++) p[i] /= total;
        boolean[] taken = new boolean[p.length];
        int[] chosen = new int[expertsUsed];
        double sum = 0;
        for (int j = 0; j < expertsUsed; j++) {
            int best = -1;
            for (int i = 0; i < p.length; i++) if (!taken[i] && (best < 0 || p[i] > p[best])) best = i;
            taken[best] = true;
            chosen[j] = best;
            sum += p[best];
        }
        double[] out = new double[x.length];
        for (int e : chosen) {
            double w = normTopK ? p[e] / sum : p[e];
            double[] y = swiGlu(eg[l][e], eu[l][e], ed[l][e], x);
            for (int i = 0; i < out.length; i++) out[i] += w * y[i];
        }
        return out;
    }

    /** A stacked {@code [experts][rows][cols]} tensor, split per expert. */
    private static double[][][] experts(GgufFile f, String name, int experts) {
        double[][] all = rows(f, name);
        int rows = all.length / experts;
        double[][][] out = new double[experts][][];
        for (int e = 0; e < experts; e++) out[e] = java.util.Arrays.copyOfRange(all, e * rows, (e + 1) * rows);
        return out;
    }

    private void rope(double[] x, int off, int pos) {
        for (int i = 0; i < ropeDims / 2; i++) {
            double theta = pos * Math.pow(base, -2.0 * i / ropeDims) * freqScale;
            int a = neox ? off + i : off + 2 * i, b = neox ? a + ropeDims / 2 : a + 1;
            double x0 = x[a], x1 = x[b];
            x[a] = x0 * Math.cos(theta) - x1 * Math.sin(theta);
            x[b] = x0 * Math.sin(theta) + x1 * Math.cos(theta);
        }
    }

    /** qwen3's per-head RMSNorm of {@code x[off .. off + hs)}, in place. */
    private void normHead(double[] x, int off, double[] w) {
        double ss = 0;
        for (int i = 0; i < hs; i++) ss += x[off + i] * x[off + i];
        double scale = 1 / Math.sqrt(ss / hs + eps);
        for (int i = 0; i < hs; i++) x[off + i] = x[off + i] * scale * w[i];
    }

    private double[] norm(double[] x, double[] w) {
        double ss = 0;
        for (double v : x) ss += v * v;
        double scale = 1 / Math.sqrt(ss / x.length + eps);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = x[i] * scale * w[i];
        return out;
    }

    private static double[] mul(double[][] w, double[] x) {
        double[] out = new double[w.length];
        for (int r = 0; r < w.length; r++) for (int c = 0; c < x.length; c++) out[r] += w[r][c] * x[c];
        return out;
    }

    private static double[] add(double[] a, double[] b) {
        if (b == null) return a;
        double[] out = a.clone();
        for (int i = 0; i < a.length; i++) out[i] += b[i];
        return out;
    }

    private static double[][] rows(GgufFile f, String name) {
        WeightMatrix m = f.matrix(name);
        float[] row = new float[m.cols()];
        double[][] out = new double[m.rows()][m.cols()];
        for (int r = 0; r < m.rows(); r++) {
            m.dequantizeRow(r, row, 0);
            for (int c = 0; c < row.length; c++) out[r][c] = row[c];
        }
        return out;
    }
}
