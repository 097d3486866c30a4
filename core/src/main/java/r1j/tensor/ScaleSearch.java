package r1j.tensor;

/**
 * Choosing a group's quantization scale (and minimum) to minimise weighted squared (or absolute) error, the way
 * ggml's K-quant reference quantizers do ({@code make_qx_quants}, {@code make_qkx2_quants} in ggml-quants.c):
 * try a few candidate inverse scales around the naive {@code nmax / max}, fit the best scale (and min) for the
 * integer levels each candidate gives by weighted least squares, keep the best. The integer levels are written to
 * {@code levels} starting at {@code lOff}.
 */
final class ScaleSearch {

    /** Groups whose largest magnitude is below this are all zero. */
    static final float EPS = 1e-15f;

    private ScaleSearch() {}

    /** A group's fitted affine map {@code x ≈ scale * level - min}. */
    record ScaleMin(float scale, float min) {}

    /** Round half to even, as ggml's {@code nearest_int} does (the FPU's default rounding). */
    static int nearest(float v) {
        return (int) Math.rint(v);
    }

    /**
     * Symmetric levels {@code -nmax .. nmax-1} for {@code x[off .. off+n)}, stored offset by {@code nmax}
     * (0 .. 2*nmax-1); returns the scale (negative when the largest-magnitude value is positive, so that it maps
     * to {@code -nmax}, using the level that has no positive twin). Weights are {@code x²}, stressing large values.
     */
    static float symmetric(float[] x, int off, int n, int nmax, byte[] levels, int lOff) {
        float max = 0, amax = 0;
        for (int i = 0; i < n; i++) {
            float ax = Math.abs(x[off + i]);
            if (ax > amax) { amax = ax; max = x[off + i]; }
        }
        if (amax < EPS) {
            for (int i = 0; i < n; i++) levels[lOff + i] = (byte) nmax;
            return 0f;
        }
        float bestScale = 0, best = -1;
        float bestIscale = -nmax / max;
        for (int step = 0; step <= 18; step++) {
            int is = step == 0 ? 0 : step <= 9 ? -step : step - 9; // 0 first, then -1..-9, 1..9
            float iscale = -(nmax + 0.1f * is) / max;
            float sumlx = 0, suml2 = 0;
            for (int i = 0; i < n; i++) {
                float v = x[off + i];
                int l = clamp(nearest(iscale * v), -nmax, nmax - 1);
                float w = v * v;
                sumlx += w * v * l;
                suml2 += w * l * l;
            }
            if (suml2 > 0 && sumlx * sumlx > best * suml2) {
                best = sumlx * sumlx / suml2;
                bestScale = sumlx / suml2;
                bestIscale = iscale;
            }
        }
        for (int i = 0; i < n; i++) {
            levels[lOff + i] = (byte) (clamp(nearest(bestIscale * x[off + i]), -nmax, nmax - 1) + nmax);
        }
        return bestScale;
    }

    /**
     * Levels {@code 0 .. nmax} for {@code x ≈ scale * level - min} with {@code min >= 0} (the group minimum is
     * never above zero), minimising {@code sum w * |error|^p} (p = 1 if {@code absolute}, else 2) over
     * {@code nstep + 1} candidate inverse scales {@code (nmax + rmin + rdelta*k) / (max - min)}.
     */
    static ScaleMin asymmetric(float[] x, int off, int n, int nmax, float[] w, float rmin, float rdelta, int nstep,
                               boolean absolute, byte[] levels, int lOff) {
        float min = x[off], max = x[off];
        float sumW = 0, sumX = 0;
        for (int i = 0; i < n; i++) {
            float v = x[off + i];
            min = Math.min(min, v);
            max = Math.max(max, v);
            sumW += w[i];
            sumX += w[i] * v;
        }
        if (min > 0) min = 0;
        if (max == min) {
            for (int i = 0; i < n; i++) levels[lOff + i] = 0;
            return new ScaleMin(0f, -min);
        }
        float scale = (max - min) / nmax;
        float iscale0 = nmax / (max - min);
        float bestErr = 0;
        for (int i = 0; i < n; i++) {
            int l = clamp(nearest(iscale0 * (x[off + i] - min)), 0, nmax);
            levels[lOff + i] = (byte) l;
            bestErr += w[i] * err(scale * l + min - x[off + i], absolute);
        }
        byte[] trial = new byte[n];
        for (int k = 0; k <= nstep; k++) {
            float iscale = (rmin + rdelta * k + nmax) / (max - min);
            float sumL = 0, sumL2 = 0, sumXL = 0;
            for (int i = 0; i < n; i++) {
                int l = clamp(nearest(iscale * (x[off + i] - min)), 0, nmax);
                trial[i] = (byte) l;
                sumL += w[i] * l;
                sumL2 += w[i] * l * l;
                sumXL += w[i] * l * x[off + i];
            }
            float det = sumW * sumL2 - sumL * sumL;
            if (det <= 0) continue;
            float s = (sumW * sumXL - sumX * sumL) / det;
            float m = (sumL2 * sumX - sumL * sumXL) / det;
            if (m > 0) { // the offset may only lower values: refit the scale alone with min = 0
                m = 0;
                s = sumXL / sumL2;
            }
            float e = 0;
            for (int i = 0; i < n; i++) e += w[i] * err(s * trial[i] + m - x[off + i], absolute);
            if (e < bestErr) {
                bestErr = e;
                scale = s;
                min = m;
                System.arraycopy(trial, 0, levels, lOff, n);
            }
        }
        return new ScaleMin(scale, -min);
    }

    private static float err(float diff, boolean absolute) {
        return absolute ? Math.abs(diff) : diff * diff;
    }

    static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
