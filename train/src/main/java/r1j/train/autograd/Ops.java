package r1j.train.autograd;

import r1j.tensor.FloatMatMul;

/**
 * Differentiable ops of the dense transformer. Each computes its output now and records on the tape the step that
 * turns the output's gradient into its inputs' gradients (accumulating, so a value used twice gets both parts).
 * Matrices are row-major; a batch of sequences is packed as consecutive rows (see {@link Attention}).
 */
public final class Ops {
    private Ops() {}

    /** {@code y [T, d] = x [T, n] @ w [n, d]}, on the register-blocked {@link FloatMatMul} kernel. */
    public static Var matmul(Tape tape, Var x, Var w) {
        int rowsT = x.rows(), n = x.cols(), d = w.cols();
        if (w.rows() != n) {
            throw new IllegalArgumentException("matmul [%d, %d] @ [%d, %d]".formatted(rowsT, n, w.rows(), d));
        }
        Var y = Var.zeros(rowsT, d);
        float[] xv = x.value(), wv = w.value(), yv = y.value();
        tape.rows().forEach(rowsT, (from, to) -> FloatMatMul.accumulate(xv, wv, yv, n, d, from, to));
        tape.record(() -> {
            float[] dy = y.grad();
            float[] dx = x.grad(), dw = w.grad();
            float[] wt = FloatMatMul.transpose(wv, n, d); // dX [T, n] += dY [T, d] @ W^T [d, n]
            tape.rows().forEach(rowsT, (from, to) -> FloatMatMul.accumulate(dy, wt, dx, d, n, from, to));
            float[] xt = FloatMatMul.transpose(xv, rowsT, n); // dW [n, d] += X^T [n, T] @ dY [T, d]
            tape.rows().forEach(n, (from, to) -> FloatMatMul.accumulate(xt, dy, dw, rowsT, d, from, to));
        });
        return y;
    }

    /** Rows of {@code table [V, d]} picked by {@code ids}: {@code [ids.length, d]}. */
    public static Var embedding(Tape tape, Var table, int[] ids) {
        int d = table.cols();
        Var y = Var.zeros(ids.length, d);
        for (int t = 0; t < ids.length; t++) {
            if (ids[t] < 0 || ids[t] >= table.rows()) {
                throw new IllegalArgumentException("token id %d outside vocabulary of %d".formatted(ids[t], table.rows()));
            }
            System.arraycopy(table.value(), ids[t] * d, y.value(), t * d, d);
        }
        tape.record(() -> {
            float[] dy = y.grad(), dt = table.grad();
            for (int t = 0; t < ids.length; t++) {
                axpy(1f, dy, t * d, dt, ids[t] * d, d);
            }
        });
        return y;
    }

    /** Element-wise {@code a + b} (same shape): the residual connection. */
    public static Var add(Tape tape, Var a, Var b) {
        if (a.rows() != b.rows() || a.cols() != b.cols()) {
            throw new IllegalArgumentException("add shapes differ");
        }
        Var y = Var.zeros(a.rows(), a.cols());
        float[] av = a.value(), bv = b.value(), yv = y.value();
        for (int i = 0; i < yv.length; i++) {
            yv[i] = av[i] + bv[i];
        }
        tape.record(() -> {
            float[] dy = y.grad();
            axpy(1f, dy, 0, a.grad(), 0, dy.length);
            axpy(1f, dy, 0, b.grad(), 0, dy.length);
        });
        return y;
    }

    /** {@code y = x / rms(x) * w} per row, {@code rms = sqrt(mean(x^2) + eps)}; {@code w} is {@code [1, d]}. */
    public static Var rmsNorm(Tape tape, Var x, Var w, float eps) {
        int rowsT = x.rows(), d = x.cols();
        Var y = Var.zeros(rowsT, d);
        float[] xv = x.value(), wv = w.value(), yv = y.value();
        float[] inv = new float[rowsT]; // 1 / rms per row
        for (int t = 0; t < rowsT; t++) {
            double ss = 0;
            for (int i = 0; i < d; i++) {
                ss += (double) xv[t * d + i] * xv[t * d + i];
            }
            inv[t] = (float) (1.0 / Math.sqrt(ss / d + eps));
            for (int i = 0; i < d; i++) {
                yv[t * d + i] = xv[t * d + i] * inv[t] * wv[i];
            }
        }
        tape.record(() -> {
            float[] dy = y.grad(), dx = x.grad(), dw = w.grad();
            for (int t = 0; t < rowsT; t++) {
                float r = inv[t];
                double s = 0; // sum_i dy_i * w_i * x_i
                for (int i = 0; i < d; i++) {
                    int o = t * d + i;
                    s += (double) dy[o] * wv[i] * xv[o];
                    dw[i] += dy[o] * xv[o] * r;
                }
                float c = (float) (s * r * r * r / d);
                for (int i = 0; i < d; i++) {
                    int o = t * d + i;
                    dx[o] += dy[o] * wv[i] * r - xv[o] * c;
                }
            }
        });
        return y;
    }

    /** SwiGLU gate: {@code silu(gate) * up}, element-wise. */
    public static Var swiGlu(Tape tape, Var gate, Var up) {
        Var y = Var.zeros(gate.rows(), gate.cols());
        float[] g = gate.value(), u = up.value(), yv = y.value();
        int w = gate.cols();
        tape.rows().forEach(gate.rows(), (from, to) -> {
            for (int i = from * w; i < to * w; i++) {
                yv[i] = silu(g[i]) * u[i];
            }
        });
        tape.record(() -> {
            float[] dy = y.grad(), dg = gate.grad(), du = up.grad();
            tape.rows().forEach(gate.rows(), (from, to) -> {
                for (int i = from * w; i < to * w; i++) {
                    float s = sigmoid(g[i]);
                    du[i] += dy[i] * g[i] * s;
                    dg[i] += dy[i] * u[i] * s * (1 + g[i] * (1 - s));
                }
            });
        });
        return y;
    }

    /**
     * Mean cross-entropy of {@code logits [T, V]} against {@code targets[t]}; rows whose target is negative are
     * ignored (prompt and padding), so only the assistant's tokens are learned.
     *
     * @return a {@code [1, 1]} loss (0 when no row counts)
     */
    public static Var crossEntropy(Tape tape, Var logits, int[] targets) {
        int rowsT = logits.rows(), v = logits.cols();
        float[] lv = logits.value();
        float[] prob = new float[lv.length];
        double[] rowLoss = new double[rowsT];
        tape.rows().forEach(rowsT, (from, to) -> {
            for (int t = from; t < to; t++) {
                if (targets[t] >= 0) {
                    rowLoss[t] = -logSoftmaxInto(lv, t * v, v, prob, targets[t]);
                }
            }
        });
        double total = 0;
        int counted = 0;
        for (int t = 0; t < rowsT; t++) {
            if (targets[t] >= 0) {
                total += rowLoss[t];
                counted++;
            }
        }
        int n = counted;
        Var loss = new Var(1, 1, new float[] {n == 0 ? 0f : (float) (total / n)});
        tape.record(() -> {
            if (n == 0) {
                return;
            }
            float scale = loss.grad()[0] / n;
            float[] dl = logits.grad();
            tape.rows().forEach(rowsT, (from, to) -> {
                for (int t = from; t < to; t++) {
                    if (targets[t] < 0) {
                        continue;
                    }
                    axpy(scale, prob, t * v, dl, t * v, v);
                    dl[t * v + targets[t]] -= scale;
                }
            });
        });
        return loss;
    }

    /**
     * Writes softmax of row {@code logits[off, off + v)} into {@code prob} at the same offset.
     *
     * @return log-probability of {@code target}
     */
    static double logSoftmaxInto(float[] logits, int off, int v, float[] prob, int target) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < v; j++) {
            max = Math.max(max, logits[off + j]);
        }
        double sum = 0;
        for (int j = 0; j < v; j++) {
            float e = (float) Math.exp(logits[off + j] - max);
            prob[off + j] = e;
            sum += e;
        }
        float invSum = (float) (1 / sum);
        for (int j = 0; j < v; j++) {
            prob[off + j] *= invSum;
        }
        return logits[off + target] - max - Math.log(sum);
    }

    static float silu(float x) {
        return x * sigmoid(x);
    }

    static float sigmoid(float x) {
        return (float) (1 / (1 + Math.exp(-x)));
    }

    /** {@code y[yo + i] += a * x[xo + i]}: the loop C2 turns into vector instructions. */
    static void axpy(float a, float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) {
            y[yo + i] += a * x[xo + i];
        }
    }

    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[ao + i] * b[bo + i];
            s1 += a[ao + i + 1] * b[bo + i + 1];
            s2 += a[ao + i + 2] * b[bo + i + 2];
            s3 += a[ao + i + 3] * b[bo + i + 3];
        }
        for (; i < n; i++) {
            s0 += a[ao + i] * b[bo + i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
