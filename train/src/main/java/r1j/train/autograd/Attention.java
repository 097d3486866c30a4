package r1j.train.autograd;

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
        float[] prob = new float[seqs * heads * len * len]; // [seq, head, query pos, key pos]
        Var y = Var.zeros(rowsT, qw);
        float[] yv = y.value();
        // one unit = (sequence, kv head): owns its query heads' rows and its dK/dV slice, so threads never collide
        tape.rows().forEach(seqs * kvHeads, (from, to) -> {
            for (int unit = from; unit < to; unit++) {
                int b = unit / kvHeads, kh = unit % kvHeads;
                for (int h = kh * group; h < (kh + 1) * group; h++) {
                    for (int i = 0; i < len; i++) {
                        int qo = (b * len + i) * qw + h * headSize, po = ((b * heads + h) * len + i) * len;
                        float max = Float.NEGATIVE_INFINITY;
                        for (int j = 0; j <= i; j++) {
                            float s = scale * Ops.dot(qv, qo, kv, (b * len + j) * kw + kh * headSize, headSize);
                            prob[po + j] = s;
                            max = Math.max(max, s);
                        }
                        float sum = 0;
                        for (int j = 0; j <= i; j++) {
                            prob[po + j] = (float) Math.exp(prob[po + j] - max);
                            sum += prob[po + j];
                        }
                        for (int j = 0; j <= i; j++) {
                            prob[po + j] /= sum;
                            Ops.axpy(prob[po + j], vv, (b * len + j) * kw + kh * headSize, yv, qo, headSize);
                        }
                    }
                }
            }
        });
        tape.record(() -> {
            float[] dy = y.grad(), dq = q.grad(), dk = k.grad(), dv = v.grad();
            tape.rows().forEach(seqs * kvHeads, (from, to) -> {
                float[] dp = new float[len];
                for (int unit = from; unit < to; unit++) {
                    int b = unit / kvHeads, kh = unit % kvHeads;
                    for (int h = kh * group; h < (kh + 1) * group; h++) {
                        for (int i = 0; i < len; i++) {
                            int qo = (b * len + i) * qw + h * headSize, po = ((b * heads + h) * len + i) * len;
                            float dot = 0; // sum_j p_j * dp_j
                            for (int j = 0; j <= i; j++) {
                                int vo = (b * len + j) * kw + kh * headSize;
                                dp[j] = Ops.dot(dy, qo, vv, vo, headSize);
                                dot += prob[po + j] * dp[j];
                                Ops.axpy(prob[po + j], dy, qo, dv, vo, headSize);
                            }
                            for (int j = 0; j <= i; j++) {
                                int ko = (b * len + j) * kw + kh * headSize;
                                float ds = prob[po + j] * (dp[j] - dot) * scale;
                                Ops.axpy(ds, kv, ko, dq, qo, headSize);
                                Ops.axpy(ds, qv, qo, dk, ko, headSize);
                            }
                        }
                    }
                }
            });
        });
        return y;
    }
}
