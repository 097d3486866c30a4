package r1j.train.autograd;

import r1j.tensor.FloatMatMul;

/**
 * Rotary position embedding and causal multi-head attention over a packed batch: rows {@code [b * len, (b + 1) * len)}
 * are sequence {@code b}, position {@code row % len}. Padding rows at the end of a sequence see only earlier rows, so
 * they never change a real row's result.
 */
public final class Attention {
    private Attention() {}

    /**
     * RoPE in llama.cpp's NORM style (the {@code llama} architecture): within each head, pair {@code (2i, 2i+1)} is
     * rotated by {@code pos * theta^(-2i / headSize)}.
     *
     * @param x [T, heads * headSize]
     */
    public static Var rope(Tape tape, Var x, int len, int headSize, float theta) {
        int rowsT = x.rows(), width = x.cols();
        float[] cos = new float[len * headSize / 2], sin = new float[cos.length];
        for (int p = 0; p < len; p++) {
            for (int i = 0; i < headSize / 2; i++) {
                double angle = p * Math.pow(theta, -2.0 * i / headSize);
                cos[p * headSize / 2 + i] = (float) Math.cos(angle);
                sin[p * headSize / 2 + i] = (float) Math.sin(angle);
            }
        }
        Var y = Var.zeros(rowsT, width);
        rotate(x.value(), y.value(), rowsT, width, len, headSize, cos, sin, 1f);
        tape.record(() -> {
            // the transpose of a rotation is the rotation by the opposite angle
            float[] back = new float[y.size()];
            rotate(y.grad(), back, rowsT, width, len, headSize, cos, sin, -1f);
            Ops.axpy(1f, back, 0, x.grad(), 0, back.length);
        });
        return y;
    }

    private static void rotate(float[] in, float[] out, int rowsT, int width, int len, int headSize,
                               float[] cos, float[] sin, float sign) {
        int half = headSize / 2;
        for (int t = 0; t < rowsT; t++) {
            int p = t % len;
            for (int h = 0; h < width; h += headSize) {
                for (int i = 0; i < half; i++) {
                    int o = t * width + h + 2 * i;
                    float c = cos[p * half + i], s = sign * sin[p * half + i];
                    float a = in[o], b = in[o + 1];
                    out[o] = a * c - b * s;
                    out[o + 1] = a * s + b * c;
                }
            }
        }
    }

    /**
     * Causal softmax attention with grouped K/V heads: query head {@code h} reads K/V head {@code h / (heads/kvHeads)}.
     * Per (sequence, head) the scores, the mix and all four gradients are {@link FloatMatMul} products of gathered
     * {@code [len, headSize]} blocks: squares computed whole and masked, since a vectorised square beats a scalar
     * triangle at these sizes.
     *
     * @param q [T, heads * headSize]
     * @param k [T, kvHeads * headSize]
     * @param v [T, kvHeads * headSize]
     * @return [T, heads * headSize]
     */
    public static Var causal(Tape tape, Var q, Var k, Var v, int heads, int kvHeads, int headSize, int len) {
        int rowsT = q.rows(), seqs = rowsT / len, group = heads / kvHeads;
        int qw = heads * headSize, kw = kvHeads * headSize;
        float scale = (float) (1 / Math.sqrt(headSize));
        float[] qv = q.value(), kv = k.value(), vv = v.value();
        float[][] prob = new float[seqs * heads][]; // per (sequence, head): [query pos, key pos]
        Var y = Var.zeros(rowsT, qw);
        float[] yv = y.value();
        // one unit = (sequence, kv head): owns its query heads' rows and its dK/dV slice, so threads never collide
        tape.rows().forEach(seqs * kvHeads, (from, to) -> {
            float[] qh = new float[len * headSize], vh = new float[len * headSize], kt;
            float[] yh = new float[len * headSize];
            for (int unit = from; unit < to; unit++) {
                int b = unit / kvHeads, kh = unit % kvHeads;
                gather(kv, b * len, len, kw, kh * headSize, headSize, vh);
                kt = FloatMatMul.transpose(vh, len, headSize); // K_h^T [headSize, len]
                gather(vv, b * len, len, kw, kh * headSize, headSize, vh);
                for (int h = kh * group; h < (kh + 1) * group; h++) {
                    gather(qv, b * len, len, qw, h * headSize, headSize, qh);
                    float[] p = new float[len * len];
                    FloatMatMul.accumulate(qh, kt, p, headSize, len, 0, len);
                    softmaxCausal(p, len, scale);
                    prob[b * heads + h] = p;
                    java.util.Arrays.fill(yh, 0f);
                    FloatMatMul.accumulate(p, vh, yh, len, headSize, 0, len);
                    scatter(yh, yv, b * len, len, qw, h * headSize, headSize);
                }
            }
        });
        tape.record(() -> {
            float[] dy = y.grad(), dq = q.grad(), dk = k.grad(), dv = v.grad();
            tape.rows().forEach(seqs * kvHeads, (from, to) -> {
                int blk = len * headSize;
                float[] qh = new float[blk], kb = new float[blk], vt, dyh = new float[blk];
                float[] dqh = new float[blk], dkh = new float[blk], dvh = new float[blk];
                for (int unit = from; unit < to; unit++) {
                    int b = unit / kvHeads, kh = unit % kvHeads;
                    gather(kv, b * len, len, kw, kh * headSize, headSize, kb);
                    gather(vv, b * len, len, kw, kh * headSize, headSize, dvh);
                    vt = FloatMatMul.transpose(dvh, len, headSize); // V_h^T [headSize, len]
                    java.util.Arrays.fill(dkh, 0f);
                    java.util.Arrays.fill(dvh, 0f);
                    for (int h = kh * group; h < (kh + 1) * group; h++) {
                        float[] p = prob[b * heads + h];
                        gather(qv, b * len, len, qw, h * headSize, headSize, qh);
                        gather(dy, b * len, len, qw, h * headSize, headSize, dyh);
                        // dV += P^T dY
                        FloatMatMul.accumulate(FloatMatMul.transpose(p, len, len), dyh, dvh, len, headSize, 0, len);
                        // dP = dY V^T, then dS = P (dP - rowsum(P dP)) * scale, zero above the diagonal
                        float[] ds = new float[len * len];
                        FloatMatMul.accumulate(dyh, vt, ds, headSize, len, 0, len);
                        for (int i = 0; i < len; i++) {
                            int o = i * len;
                            float dot = 0;
                            for (int j = 0; j <= i; j++) {
                                dot += p[o + j] * ds[o + j];
                            }
                            for (int j = 0; j <= i; j++) {
                                ds[o + j] = p[o + j] * (ds[o + j] - dot) * scale;
                            }
                            java.util.Arrays.fill(ds, o + i + 1, o + len, 0f);
                        }
                        // dQ = dS K, dK += dS^T Q
                        java.util.Arrays.fill(dqh, 0f);
                        FloatMatMul.accumulate(ds, kb, dqh, len, headSize, 0, len);
                        addInto(dqh, dq, b * len, len, qw, h * headSize, headSize);
                        FloatMatMul.accumulate(FloatMatMul.transpose(ds, len, len), qh, dkh, len, headSize, 0, len);
                    }
                    addInto(dkh, dk, b * len, len, kw, kh * headSize, headSize);
                    addInto(dvh, dv, b * len, len, kw, kh * headSize, headSize);
                }
            });
        });
        return y;
    }

    /** Scales row i of the square scores, masks keys after i, and softmaxes in place. */
    private static void softmaxCausal(float[] s, int len, float scale) {
        for (int i = 0; i < len; i++) {
            int o = i * len;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j <= i; j++) {
                s[o + j] *= scale;
                max = Math.max(max, s[o + j]);
            }
            float sum = 0;
            for (int j = 0; j <= i; j++) {
                s[o + j] = (float) Math.exp(s[o + j] - max);
                sum += s[o + j];
            }
            float inv = 1 / sum;
            for (int j = 0; j <= i; j++) {
                s[o + j] *= inv;
            }
            java.util.Arrays.fill(s, o + i + 1, o + len, 0f);
        }
    }

    /** Copies columns {@code [col, col + w)} of rows {@code [row0, row0 + n)} of a {@code [*, stride]} matrix into {@code out [n, w]}. */
    private static void gather(float[] x, int row0, int n, int stride, int col, int w, float[] out) {
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, (row0 + i) * stride + col, out, i * w, w);
        }
    }

    private static void scatter(float[] in, float[] x, int row0, int n, int stride, int col, int w) {
        for (int i = 0; i < n; i++) {
            System.arraycopy(in, i * w, x, (row0 + i) * stride + col, w);
        }
    }

    private static void addInto(float[] in, float[] x, int row0, int n, int stride, int col, int w) {
        for (int i = 0; i < n; i++) {
            Ops.axpy(1f, in, i * w, x, (row0 + i) * stride + col, w);
        }
    }
}
