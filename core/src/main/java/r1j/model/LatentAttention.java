package r1j.model;

import java.util.Arrays;
import r1j.tensor.ComputePool;
import r1j.tensor.VectorMath;
import r1j.tensor.WeightMatrix;

/**
 * Causal Multi-head Latent Attention over a {@link LatentKvCache}, with the up-projections absorbed (DeepSeek-V2,
 * arXiv:2405.04434, section 2.1.2: "W^UK can be absorbed into W^Q, and W^UV into W^O"). For head {@code h} with
 * query {@code q_h = [q^C_h | q^R_h]} and cached latents {@code (c_t, k^R_t)}:
 * <pre>
 *   k_{t,h} = [W^UK_h c_t | k^R_t],  v_{t,h} = W^UV_h c_t                      (what the naive layout caches)
 *   q_h . k_{t,h} = (W^UK_h^T q^C_h) . c_t + q^R_h . k^R_t                      (absorbed key side)
 *   sum_t p_t v_{t,h} = W^UV_h (sum_t p_t c_t)                                 (absorbed value side)
 * </pre>
 * so scores and the weighted sum run in the {@code kvLoraRank}-wide latent space and the per-head keys and values
 * are never formed. {@code W^UK_h} and {@code W^UV_h} are the rows of {@code attn_kv_b} for head {@code h}; each
 * worker decodes its heads' rows once per step and applies them to every batch row.
 */
final class LatentAttention {

    private final DeepSeek2Config c;
    private final ComputePool pool;
    private final ComputePool.Task task = this::attendHeads;
    private final float[][] wuk;    // [thread][nopeDim * kvLoraRank] W^UK_h, row j = nope dim j
    private final float[][] wuv;    // [thread][valueDim * kvLoraRank] W^UV_h
    private final float[][] qLat;   // [thread][kvLoraRank] W^UK_h^T q^C_h
    private final float[][] outLat; // [thread][kvLoraRank] sum_t p_t c_t
    private final float[][] kRow;   // [thread][nopeDim] one row of attn_k_b
    private float[][] scores;       // [thread][context]

    // State of the current step, read by the workers.
    private LatentKvCache cache;
    private Batch batch;
    private int layer;
    private DeepSeek2Weights.Layer w;
    private float[] q, out;

    LatentAttention(DeepSeek2Config config, ComputePool pool) {
        this.c = config;
        this.pool = pool;
        int t = pool.threads(), r = config.mla().kvLoraRank();
        this.wuk = new float[t][config.mla().nopeDim() * r];
        this.wuv = new float[t][config.mla().valueDim() * r];
        this.qLat = new float[t][r];
        this.outLat = new float[t][r];
        this.kRow = new float[t][config.mla().nopeDim()];
        this.scores = new float[t][0];
    }

    /**
     * For every row and head, attends over positions {@code 0 .. position} of the row's slot (the rows' own latents
     * must already be stored).
     *
     * @param q   {@code [n][heads * keyLength]}, per head the no-position part then the rotated part
     * @param out {@code [n][heads * valueDim]}
     */
    void attend(LatentKvCache cache, int layer, Batch batch, DeepSeek2Weights.Layer weights, float[] q, float[] out) {
        if (scores[0].length < cache.contextLength()) {
            for (int t = 0; t < scores.length; t++) scores[t] = new float[cache.contextLength()];
        }
        this.cache = cache;
        this.layer = layer;
        this.batch = batch;
        this.w = weights;
        this.q = q;
        this.out = out;
        pool.run(Math.min(pool.threads(), c.heads()), task);
        this.cache = null;
        this.batch = null;
        this.w = null;
    }

    /**
     * Decodes head {@code h}'s W^UK into {@code uk [nopeDim][kvLoraRank]} and W^UV into {@code uv [valueDim][kvLoraRank]},
     * from {@code attn_kv_b} or from the split {@code attn_k_b} (stored transposed) and {@code attn_v_b}.
     */
    private void upProjections(int h, float[] uk, float[] uv, float[] row) {
        MlaConfig m = c.mla();
        int r = m.kvLoraRank(), nope = m.nopeDim(), vd = m.valueDim();
        WeightMatrix kvB = w.attnKvB();
        if (kvB != null) {
            int base = h * m.kvBRowsPerHead();
            for (int j = 0; j < nope; j++) kvB.dequantizeRow(base + j, uk, j * r);
            for (int j = 0; j < vd; j++) kvB.dequantizeRow(base + nope + j, uv, j * r);
            return;
        }
        for (int cIdx = 0; cIdx < r; cIdx++) {
            w.attnKB().dequantizeRow(h * r + cIdx, row, 0);
            for (int j = 0; j < nope; j++) uk[j * r + cIdx] = row[j];
        }
        for (int j = 0; j < vd; j++) w.attnVB().dequantizeRow(h * vd + j, uv, j * r);
    }

    /** Worker {@code ith} of {@code nth}: heads ith, ith + nth, ... for all rows. */
    private void attendHeads(int ith, int nth) {
        MlaConfig m = c.mla();
        int r = m.kvLoraRank(), nope = m.nopeDim(), rope = m.ropeDim(), vd = m.valueDim(), lat = m.latentDim();
        int keyLen = m.keyLength(), qDim = c.qDim(), outDim = c.heads() * vd, chunk = cache.chunkPositions();
        float scale = c.kqScale();
        float[] uk = wuk[ith], uv = wuv[ith], ql = qLat[ith], ol = outLat[ith], s = scores[ith];
        for (int h = ith; h < c.heads(); h += nth) {
            upProjections(h, uk, uv, kRow[ith]);
            for (int i = 0; i < batch.size(); i++) {
                int slot = batch.slots()[i], len = batch.positions()[i] + 1;
                int qOff = i * qDim + h * keyLen;
                // q_lat = W^UK_h^T q^C_h
                Arrays.fill(ql, 0f);
                for (int j = 0; j < nope; j++) VectorMath.axpy(q[qOff + j], uk, j * r, ql, 0, r);
                for (int cIdx = 0, t0 = 0; t0 < len; cIdx++, t0 += chunk) {
                    float[] latents = cache.chunk(slot, layer, cIdx);
                    int end = Math.min(chunk, len - t0);
                    for (int t = 0; t < end; t++) {
                        s[t0 + t] = (VectorMath.dot(ql, 0, latents, t * lat, r)
                                + VectorMath.dot(q, qOff + nope, latents, t * lat + r, rope)) * scale;
                    }
                }
                VectorMath.softmax(s, 0, len);
                Arrays.fill(ol, 0f);
                for (int cIdx = 0, t0 = 0; t0 < len; cIdx++, t0 += chunk) {
                    float[] latents = cache.chunk(slot, layer, cIdx);
                    int end = Math.min(chunk, len - t0);
                    for (int t = 0; t < end; t++) VectorMath.axpy(s[t0 + t], latents, t * lat, ol, 0, r);
                }
                int oOff = i * outDim + h * vd;
                for (int j = 0; j < vd; j++) out[oOff + j] = VectorMath.dot(uv, j * r, ol, 0, r);
            }
        }
    }
}
