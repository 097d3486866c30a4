package r1j.train.nn;

/**
 * Token-by-token inference of the same network as {@link Transformer}, with a KV cache, written straight from the
 * training graph: the independent reference that the engine's sampling ({@code r1j.train.recipe.Generator}, which
 * runs rollouts, evaluation and distillation on {@code r1j.engine}) is checked against token for token. Not
 * thread-safe: one decoder per sequence (they share the read-only {@link Params}).
 */
public final class Decoder {
    private final Params p;
    private final TinyConfig c;
    private final float[][] keys;   // [layer][pos * kvDim]
    private final float[][] values; // [layer][pos * kvDim]
    private final float[] x, h, q, k, v, att, gate, up, scores, logits;
    private final float[] cos, sin; // [pos * headSize/2]
    private int pos;

    public Decoder(Params p) {
        this.p = p;
        this.c = p.config();
        keys = new float[c.layers()][c.context() * c.kvDim()];
        values = new float[c.layers()][c.context() * c.kvDim()];
        x = new float[c.dim()];
        h = new float[c.dim()];
        q = new float[c.dim()];
        k = new float[c.kvDim()];
        v = new float[c.kvDim()];
        att = new float[c.dim()];
        gate = new float[c.hiddenDim()];
        up = new float[c.hiddenDim()];
        scores = new float[c.context()];
        logits = new float[c.vocab()];
        int half = c.headSize() / 2;
        cos = new float[c.context() * half];
        sin = new float[c.context() * half];
        for (int t = 0; t < c.context(); t++) {
            for (int i = 0; i < half; i++) {
                double angle = t * Math.pow(c.ropeTheta(), -2.0 * i / c.headSize());
                cos[t * half + i] = (float) Math.cos(angle);
                sin[t * half + i] = (float) Math.sin(angle);
            }
        }
    }

    /** Tokens consumed so far. */
    public int position() { return pos; }

    /** Forgets the sequence. */
    public void reset() { pos = 0; }

    /**
     * Feeds one token at the next position.
     *
     * @return the next-token logits {@code [vocab]}, valid until the next call
     * @throws IllegalStateException when the context is full
     */
    public float[] step(int token) {
        if (pos >= c.context()) {
            throw new IllegalStateException("context of %d tokens is full".formatted(c.context()));
        }
        System.arraycopy(p.get("token_embd.weight").value(), token * c.dim(), x, 0, c.dim());
        for (int l = 0; l < c.layers(); l++) {
            rmsNorm(x, p.layer(l, "attn_norm").value(), h);
            matvec(h, p.layer(l, "attn_q").value(), q);
            matvec(h, p.layer(l, "attn_k").value(), k);
            matvec(h, p.layer(l, "attn_v").value(), v);
            rope(q);
            rope(k);
            System.arraycopy(k, 0, keys[l], pos * c.kvDim(), c.kvDim());
            System.arraycopy(v, 0, values[l], pos * c.kvDim(), c.kvDim());
            attend(l);
            addMatvec(att, p.layer(l, "attn_output").value(), x);
            rmsNorm(x, p.layer(l, "ffn_norm").value(), h);
            matvec(h, p.layer(l, "ffn_gate").value(), gate);
            matvec(h, p.layer(l, "ffn_up").value(), up);
            for (int i = 0; i < gate.length; i++) {
                gate[i] = gate[i] / (1 + (float) Math.exp(-gate[i])) * up[i];
            }
            addMatvec(gate, p.layer(l, "ffn_down").value(), x);
        }
        rmsNorm(x, p.get("output_norm.weight").value(), h);
        matvec(h, p.get("output.weight").value(), logits);
        pos++;
        return logits;
    }

    private void attend(int l) {
        int hs = c.headSize(), group = c.heads() / c.kvHeads(), kvDim = c.kvDim();
        float scale = (float) (1 / Math.sqrt(hs));
        java.util.Arrays.fill(att, 0f);
        for (int head = 0; head < c.heads(); head++) {
            int ko = (head / group) * hs;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j <= pos; j++) {
                float s = 0;
                for (int i = 0; i < hs; i++) {
                    s += q[head * hs + i] * keys[l][j * kvDim + ko + i];
                }
                scores[j] = s * scale;
                max = Math.max(max, scores[j]);
            }
            float sum = 0;
            for (int j = 0; j <= pos; j++) {
                scores[j] = (float) Math.exp(scores[j] - max);
                sum += scores[j];
            }
            for (int j = 0; j <= pos; j++) {
                float w = scores[j] / sum;
                for (int i = 0; i < hs; i++) {
                    att[head * hs + i] += w * values[l][j * kvDim + ko + i];
                }
            }
        }
    }

    private void rope(float[] vec) {
        int half = c.headSize() / 2;
        for (int hd = 0; hd < vec.length; hd += c.headSize()) {
            for (int i = 0; i < half; i++) {
                float co = cos[pos * half + i], si = sin[pos * half + i];
                float a = vec[hd + 2 * i], b = vec[hd + 2 * i + 1];
                vec[hd + 2 * i] = a * co - b * si;
                vec[hd + 2 * i + 1] = a * si + b * co;
            }
        }
    }

    private void rmsNorm(float[] in, float[] w, float[] out) {
        double ss = 0;
        for (float f : in) {
            ss += (double) f * f;
        }
        float r = (float) (1.0 / Math.sqrt(ss / in.length + c.rmsEps()));
        for (int i = 0; i < in.length; i++) {
            out[i] = in[i] * r * w[i];
        }
    }

    /** {@code out [d] = in [n] @ w [n, d]}. */
    private static void matvec(float[] in, float[] w, float[] out) {
        java.util.Arrays.fill(out, 0f);
        addMatvec(in, w, out);
    }

    private static void addMatvec(float[] in, float[] w, float[] out) {
        int d = out.length;
        for (int k = 0; k < in.length; k++) {
            float a = in[k];
            int o = k * d;
            for (int j = 0; j < d; j++) {
                out[j] += a * w[o + j];
            }
        }
    }
}
