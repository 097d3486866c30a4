package r1j.model;

/**
 * Rotary position embedding (Su et al. 2021, arXiv:2104.09864) as ggml computes it ({@code ggml_rope_ext}).
 *
 * <p>Pair {@code i} of the first {@code dims} values of a head is rotated by the angle {@code pos * freq[i]} with
 * {@code freq[i] = base^(-2i/dims)}. NORM style (llama) rotates adjacent values {@code (2i, 2i+1)}; NEOX style
 * (qwen2) rotates {@code (i, i + dims/2)}. Values past {@code dims} are left alone.
 *
 * <p>Variants fold into the per-pair frequency because each is linear in the position:
 * <ul>
 *   <li>{@code rope_freqs.weight} (Llama 3.1 long-context factors) divides {@code freq[i]} by {@code factors[i]};</li>
 *   <li>linear scaling multiplies every frequency by {@code 1/factor};</li>
 *   <li>YaRN (arXiv:2309.00071, ggml's {@code rope_yarn}) blends the interpolated and the original frequency with a
 *       ramp over the pair index between the correction dimensions (beta_fast 32, beta_slow 1), and scales cos/sin by
 *       {@code attnFactor * (1 + 0.1 ln factor)}.</li>
 * </ul>
 * The angle is computed in double from the per-pair frequency, then rounded to float for cos/sin, which is at least
 * as accurate as ggml's float recurrence.
 */
public final class Rope {

    private static final double YARN_BETA_FAST = 32;
    private static final double YARN_BETA_SLOW = 1;

    private final int dims;
    private final boolean neox;
    private final double[] freq;   // [dims/2] radians per position
    private final float magnitude; // multiplies cos and sin

    /**
     * @param dims        rotated values per head (even)
     * @param neox        true for NEOX pairs (i, i + dims/2), false for adjacent pairs
     * @param base        {@code rope.freq_base}
     * @param freqFactors divisors per pair ({@code rope_freqs.weight}), or {@code null} for none
     * @param scaling     context scaling
     */
    public Rope(int dims, boolean neox, float base, float[] freqFactors, RopeScaling scaling) {
        if (dims <= 0 || dims % 2 != 0) {
            throw new IllegalArgumentException("rope dimension count must be positive and even, got " + dims);
        }
        if (freqFactors != null && freqFactors.length != dims / 2) {
            throw new IllegalArgumentException("rope_freqs.weight has %d values, expected rope dimension count / 2 = %d"
                    .formatted(freqFactors.length, dims / 2));
        }
        this.dims = dims;
        this.neox = neox;
        this.freq = new double[dims / 2];
        double freqScale = scaling.freqScale();
        double[] corr = scaling.type() == RopeScaling.Type.YARN
                ? yarnCorrectionDims(dims, scaling.originalContextLength(), base) : null;
        for (int i = 0; i < dims / 2; i++) {
            double extrapolated = Math.pow(base, -2.0 * i / dims);
            if (freqFactors != null) extrapolated /= freqFactors[i];
            freq[i] = switch (scaling.type()) {
                case NONE -> extrapolated;
                case LINEAR -> extrapolated * freqScale;
                case YARN -> {
                    double ramp = yarnRamp(corr[0], corr[1], i);
                    yield extrapolated * (freqScale * (1 - ramp) + ramp);
                }
            };
        }
        this.magnitude = scaling.type() == RopeScaling.Type.YARN
                ? (float) (scaling.attnFactor() * (1 + 0.1 * Math.log(1 / freqScale)))
                : scaling.attnFactor();
    }

    /** Rotated values per head. */
    public int dims() { return dims; }

    /** Fills {@code cos[off + i]} and {@code sin[off + i]} for the {@code dims/2} pairs at position {@code pos}. */
    public void angles(int pos, float[] cos, float[] sin, int off) {
        for (int i = 0; i < freq.length; i++) {
            float theta = (float) (pos * freq[i]);
            cos[off + i] = (float) Math.cos(theta) * magnitude;
            sin[off + i] = (float) Math.sin(theta) * magnitude;
        }
    }

    /** Rotates one head {@code x[off .. off + dims)} in place by the angles at {@code cos/sin[csOff ..]}. */
    public void rotate(float[] x, int off, float[] cos, float[] sin, int csOff) {
        int half = dims / 2;
        for (int i = 0; i < half; i++) {
            int a = neox ? off + i : off + 2 * i;
            int b = neox ? a + half : a + 1;
            float c = cos[csOff + i], s = sin[csOff + i];
            float x0 = x[a], x1 = x[b];
            x[a] = x0 * c - x1 * s;
            x[b] = x0 * s + x1 * c;
        }
    }

    /** ggml_rope_yarn_corr_dims: the pair-index range over which YaRN moves from extrapolation to interpolation. */
    private static double[] yarnCorrectionDims(int dims, int originalContext, float base) {
        double start = Math.floor(yarnCorrectionDim(dims, originalContext, YARN_BETA_FAST, base));
        double end = Math.ceil(yarnCorrectionDim(dims, originalContext, YARN_BETA_SLOW, base));
        return new double[] {Math.max(0, start), Math.min(dims - 1, end)};
    }

    /** The dimension whose wavelength fits {@code beta} times into the original context. */
    private static double yarnCorrectionDim(int dims, int originalContext, double beta, double base) {
        return dims * Math.log(originalContext / (beta * 2 * Math.PI)) / (2 * Math.log(base));
    }

    /** 1 below {@code low} (keep the original frequency), 0 above {@code high} (fully interpolated). */
    private static double yarnRamp(double low, double high, int pair) {
        double y = (pair - low) / Math.max(0.001, high - low);
        return 1 - Math.min(1, Math.max(0, y));
    }
}
