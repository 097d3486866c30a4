package r1j.train.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SequencedMap;
import java.util.random.RandomGenerator;
import r1j.train.autograd.Var;

/**
 * All trainable tensors, keyed by their GGUF names ({@code token_embd.weight}, {@code blk.0.attn_q.weight}, ...) so a
 * reader can grep from the exported file to the field. Matrices are stored input-major {@code [in, out]} (the
 * transpose of GGUF's {@code [out rows of in]}); the embedding is {@code [vocab, dim]} in both.
 */
public final class Params {
    private final TinyConfig config;
    private final SequencedMap<String, Var> tensors = new LinkedHashMap<>();

    private Params(TinyConfig config) {
        this.config = config;
    }

    public TinyConfig config() { return config; }

    /** Name to tensor, in GGUF order. */
    public SequencedMap<String, Var> tensors() { return tensors; }

    public Var get(String name) {
        Var v = tensors.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no tensor " + name);
        }
        return v;
    }

    public Var layer(int layer, String name) {
        return get("blk.%d.%s.weight".formatted(layer, name));
    }

    /** True for the 1-D norm gains (no weight decay, initialised to 1). */
    public static boolean isNorm(String name) {
        return name.contains("norm");
    }

    /** Zero-filled parameters of {@code config}'s shapes. */
    public static Params zeros(TinyConfig c) {
        Params p = new Params(c);
        p.put("token_embd.weight", c.vocab(), c.dim());
        for (int l = 0; l < c.layers(); l++) {
            String b = "blk." + l + ".";
            p.put(b + "attn_norm.weight", 1, c.dim());
            p.put(b + "attn_q.weight", c.dim(), c.dim());
            p.put(b + "attn_k.weight", c.dim(), c.kvDim());
            p.put(b + "attn_v.weight", c.dim(), c.kvDim());
            p.put(b + "attn_output.weight", c.dim(), c.dim());
            p.put(b + "ffn_norm.weight", 1, c.dim());
            p.put(b + "ffn_gate.weight", c.dim(), c.hiddenDim());
            p.put(b + "ffn_up.weight", c.dim(), c.hiddenDim());
            p.put(b + "ffn_down.weight", c.hiddenDim(), c.dim());
        }
        p.put("output_norm.weight", 1, c.dim());
        p.put("output.weight", c.dim(), c.vocab());
        return p;
    }

    /**
     * GPT-2 style initialisation: N(0, 0.02), residual-output projections scaled by {@code 1/sqrt(2 * layers)}, norm
     * gains 1.
     */
    public static Params init(TinyConfig c, RandomGenerator rnd) {
        Params p = zeros(c);
        double residualStd = 0.02 / Math.sqrt(2.0 * c.layers());
        for (Map.Entry<String, Var> e : p.tensors.entrySet()) {
            float[] v = e.getValue().value();
            String name = e.getKey();
            if (isNorm(name)) {
                java.util.Arrays.fill(v, 1f);
                continue;
            }
            double std = name.endsWith("attn_output.weight") || name.endsWith("ffn_down.weight") ? residualStd : 0.02;
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (rnd.nextGaussian() * std);
            }
        }
        return p;
    }

    /**
     * The same weights under a config that differs only in context length (RoPE has no learned positions, so a
     * model trained on short sequences runs, and trains on, longer ones with the same tensors).
     */
    public Params withContext(int context) {
        TinyConfig c = new TinyConfig(config.dim(), config.hiddenDim(), config.layers(), config.heads(), config.kvHeads(),
                config.vocab(), context, config.rmsEps(), config.ropeTheta());
        Params p = new Params(c);
        tensors.forEach((name, v) -> p.tensors.put(name, new Var(v.rows(), v.cols(), v.value().clone())));
        return p;
    }

    /** A deep copy (the frozen reference policy of GRPO, checkpoints). */
    public Params copy() {
        Params p = new Params(config);
        tensors.forEach((name, v) -> p.tensors.put(name, new Var(v.rows(), v.cols(), v.value().clone())));
        return p;
    }

    public long count() {
        return tensors.values().stream().mapToLong(Var::size).sum();
    }

    public void zeroGrad() {
        tensors.values().forEach(Var::zeroGrad);
    }

    private void put(String name, int rows, int cols) {
        tensors.put(name, Var.zeros(rows, cols));
    }
}
