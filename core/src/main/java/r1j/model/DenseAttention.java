package r1j.model;

import java.util.Arrays;
import r1j.tensor.AttentionKernels;
import r1j.tensor.ComputePool;
import r1j.tensor.VectorMath;

/**
 * Causal grouped-query attention over a {@link DenseKvCache}: for every batch row and query head,
 * {@code out = softmax(q k^T / sqrt(headSize)) v} over positions {@code 0..pos} of the row's slot, with KV head
 * {@code head / groupSize}. One task covers one KV head for a row, so that head's keys and values (contiguous in the
 * cache) are read once for all the query heads of its group.
 *
 * <p>Two kernels, by cache type:
 * <ul>
 *   <li><b>F32</b> computes exactly what r1j always has, bit for bit: all scores of a head
 *       ({@link VectorMath#dot} times the scale), {@link VectorMath#softmax} over them, then
 *       {@link VectorMath#axpy} of the values in position order. An all-F32 model (the trained tiny R1) stays
 *       byte-reproducible. Tasks split a group's query heads when there are fewer (row, KV head) pairs than
 *       threads.</li>
 *   <li><b>F16</b> is one pass over the cache with an online softmax (Milakov &amp; Gimelshein 2018,
 *       https://arxiv.org/abs/1805.02867): tiles of {@value #TILE} positions are widened to floats once, scored for
 *       every head of the group — the keys are stored transposed, so a vector of positions is scored per
 *       multiply-add with no sum across lanes — and their values added in with a running maximum and sum. When a
 *       step has few (row, KV head) pairs — a long single-sequence decode — the positions are also split into
 *       blocks, one task each, whose partial results are merged afterwards (flash-decoding), so every thread works.
 *       The rows of a prompt (one slot, consecutive positions) go {@value #ROW_TILE} to a task: each widened tile
 *       then serves every head of the group for all of them, each row stopping at its own position, where one row
 *       per task widened the same keys and values again for every row (9 % of a 512-token prompt).</li>
 * </ul>
 * Not thread-safe: one forward pass at a time drives it, and its tasks run on the compute pool.
 */
final class DenseAttention {

    /** Positions per F16 tile: one widened tile of keys (TILE x headSize floats) stays in L1. */
    static final int TILE = 32;
    /** Rows of one sequence at consecutive positions that share one pass over the cache (F16). */
    static final int ROW_TILE = 4;
    /** Fewest positions worth a task of their own when a row's positions are split. */
    static final int MIN_BLOCK = 256;
    /** Multiply-adds below which attention runs on the calling thread: waking workers would cost more. */
    private static final long MIN_PARALLEL = 1 << 15;

    private final int heads, kvHeads, hs, group, qDim, threads;
    private final float scale;
    private final ComputePool pool;
    private final ComputePool.Task f32Task = this::f32Slice;
    private final ComputePool.Task f16Task = this::f16Slice;

    // The current step, read by the tasks (fields, so that no lambda is allocated per step).
    private DenseKvCache cache;
    private Batch batch;
    private int layer;
    private float[] q, out;   // [n][heads * headSize]
    private int splits;       // F32: parts of a group's heads; F16: position blocks of a row
    private int blockLength;  // F16: positions per block
    private int[] tileStart = new int[1]; // F16: row tile i is rows tileStart[i] .. tileStart[i+1]-1
    private int tiles;                    // F16: row tiles of this step

    // Scratch, grown to the largest step seen.
    private final float[][] scores;  // [thread][group * len] (F32) or [thread][ROW_TILE * group * TILE] (F16)
    private final float[][] tile;    // [thread][TILE * headSize] widened F16 keys ([headSize][TILE]) or values ([TILE][headSize])
    private final float[][] acc;     // [thread][ROW_TILE * group * headSize] running weighted sums of values
    private final float[][] runMax;  // [thread][ROW_TILE * group]
    private final float[][] runSum;  // [thread][ROW_TILE * group]
    private float[] partMax = new float[0], partSum = new float[0], partAcc = new float[0]; // [task * group (* hs)]

    DenseAttention(ModelConfig config, ComputePool pool) {
        this.heads = config.heads();
        this.kvHeads = config.kvHeads();
        this.hs = config.headSize();
        this.group = config.groupSize();
        this.qDim = config.qDim();
        this.pool = pool;
        this.threads = pool.threads();
        this.scale = (float) (1.0 / Math.sqrt(hs));
        this.scores = new float[threads][0];
        this.tile = new float[threads][TILE * hs];
        this.acc = new float[threads][ROW_TILE * group * hs];
        this.runMax = new float[threads][ROW_TILE * group];
        this.runSum = new float[threads][ROW_TILE * group];
    }

    /**
     * Attends every row of {@code batch} (whose keys and values the cache already holds) and writes
     * {@code out [n][heads * headSize]} from {@code q [n][heads * headSize]}.
     */
    void run(DenseKvCache cache, int layer, Batch batch, float[] q, float[] out) {
        int n = batch.size(), maxLen = 0;
        long positions = 0;
        for (int i = 0; i < n; i++) {
            maxLen = Math.max(maxLen, batch.positions()[i] + 1);
            positions += batch.positions()[i] + 1;
        }
        int nth = 2 * positions * qDim < MIN_PARALLEL ? 1 : threads;
        this.cache = cache;
        this.batch = batch;
        this.layer = layer;
        this.q = q;
        this.out = out;
        int pairs = n * kvHeads;
        if (cache.type() == KvCacheType.F32) {
            splits = Math.min(group, Math.max(1, ceilDiv(nth, pairs)));
            ensureScores(group * maxLen);
            pool.run(nth, f32Task);
        } else {
            splits = pairs >= 2 * nth ? 1 : Math.max(1, Math.min(ceilDiv(maxLen, MIN_BLOCK), ceilDiv(4 * nth, pairs)));
            blockLength = ceilDiv(maxLen, splits);
            tiles = rowTiles(batch, splits == 1 ? ROW_TILE : 1);
            ensureScores(ROW_TILE * group * TILE);
            if (splits > 1) ensurePartials(pairs * splits * group);
            pool.run(Math.min(nth, tiles * kvHeads * splits), f16Task);
            if (splits > 1) merge(n);
        }
        this.cache = null;
        this.batch = null;
        this.q = null;
        this.out = null;
    }

    /** F32 worker {@code ith} of {@code nth}: tasks (row, KV head, part of the group's heads) ith, ith + nth, ... */
    private void f32Slice(int ith, int nth) {
        float[] s = scores[ith];
        int per = ceilDiv(group, splits), tasks = batch.size() * kvHeads * splits, chunk = cache.chunkPositions();
        for (int task = ith; task < tasks; task += nth) {
            int part = task % splits, pair = task / splits, row = pair / kvHeads, kv = pair % kvHeads;
            int j0 = part * per, j1 = Math.min(group, j0 + per);
            if (j0 >= j1) continue;
            int slot = batch.slots()[row], len = batch.positions()[row] + 1;
            int qBase = row * qDim + kv * group * hs;
            // scores[j][t] = q_j . k_t / sqrt(headSize), every key read once for the heads j0..j1
            for (int c = 0, start = 0; start < len; c++, start += chunk) {
                float[] keys = cache.keyChunk(slot, layer, c);
                int end = Math.min(chunk, len - start), kOff = cache.offset(kv, 0);
                for (int t = 0; t < end; t++) {
                    for (int j = j0; j < j1; j++) {
                        s[j * len + start + t] = VectorMath.dot(q, qBase + j * hs, keys, kOff + t * hs, hs) * scale;
                    }
                }
            }
            for (int j = j0; j < j1; j++) {
                VectorMath.softmax(s, j * len, len);
                Arrays.fill(out, qBase + j * hs, qBase + (j + 1) * hs, 0f);
            }
            // out_j = sum_t scores[j][t] * v_t, in position order
            for (int c = 0, start = 0; start < len; c++, start += chunk) {
                float[] values = cache.valueChunk(slot, layer, c);
                int end = Math.min(chunk, len - start), vOff = cache.offset(kv, 0);
                for (int t = 0; t < end; t++) {
                    for (int j = j0; j < j1; j++) {
                        VectorMath.axpy(s[j * len + start + t], values, vOff + t * hs, out, qBase + j * hs, hs);
                    }
                }
            }
        }
    }

    /**
     * Cuts the batch into runs of at most {@code maxRows} rows of one slot at consecutive positions; returns their
     * number. Run {@code i} is rows {@code tileStart[i] .. tileStart[i+1]-1}, its last row the longest.
     */
    private int rowTiles(Batch b, int maxRows) {
        int n = b.size(), tiles = 0;
        if (tileStart.length < n + 1) tileStart = new int[n + 1];
        for (int i = 0; i < n; ) {
            tileStart[tiles++] = i;
            int j = i + 1;
            while (j < n && j - i < maxRows && b.slots()[j] == b.slots()[i] && b.positions()[j] == b.positions()[j - 1] + 1) j++;
            i = j;
        }
        tileStart[tiles] = n;
        return tiles;
    }

    /**
     * F16 worker {@code ith} of {@code nth}: tasks (row tile, KV head, block of positions) ith, ith + nth, ... Head
     * {@code j} of the tile's row {@code r} keeps its running maximum, sum and output at index {@code r * group + j}.
     */
    private void f16Slice(int ith, int nth) {
        float[] s = scores[ith], kv16 = tile[ith], a = acc[ith], m = runMax[ith], l = runSum[ith];
        int tasks = tiles * kvHeads * splits, chunk = cache.chunkPositions();
        int[] positions = batch.positions();
        for (int task = ith; task < tasks; task += nth) {
            int block = task % splits, pair = task / splits, tileIndex = pair / kvHeads, kv = pair % kvHeads;
            int first = tileStart[tileIndex], rows = tileStart[tileIndex + 1] - first;
            int slot = batch.slots()[first], len = positions[first + rows - 1] + 1;
            int from = block * blockLength, to = Math.min(len, from + blockLength);
            int tileHeads = rows * group;
            Arrays.fill(m, 0, tileHeads, Float.NEGATIVE_INFINITY);
            Arrays.fill(l, 0, tileHeads, 0f);
            Arrays.fill(a, 0, tileHeads * hs, 0f);
            for (int t0 = from; t0 < to; ) {
                int c = t0 / chunk, r0 = t0 - c * chunk;
                int n = Math.min(Math.min(TILE, to - t0), chunk - r0);
                // the keys widened as [headSize][TILE]: positions past n hold stale values, scored and never read
                short[] keys = cache.keyChunkF16(slot, layer, c);
                for (int d = 0; d < hs; d++) AttentionKernels.halfsToFloats(keys, cache.keyOffsetF16(kv, d, r0), kv16, d * TILE, n);
                for (int r = 0; r < rows; r++) {
                    int seen = Math.min(n, positions[first + r] + 1 - t0); // row r attends to positions up to its own
                    if (seen <= 0) continue;
                    int qBase = (first + r) * qDim + kv * group * hs;
                    AttentionKernels.scoresTransposed(kv16, TILE, hs, q, qBase, group, scale, s, r * group * TILE);
                    for (int j = 0; j < group; j++) {
                        int h = r * group + j;
                        float tileMax = AttentionKernels.max(s, h * TILE, seen);
                        if (tileMax > m[h]) {
                            // a new maximum: what was summed so far shrinks by e^(old - new)
                            float shrink = (float) Math.exp(m[h] - tileMax);
                            l[h] *= shrink;
                            VectorMath.scale(a, h * hs, hs, shrink);
                            m[h] = tileMax;
                        }
                        l[h] += AttentionKernels.expShifted(s, h * TILE, seen, m[h]);
                    }
                }
                AttentionKernels.halfsToFloats(cache.valueChunkF16(slot, layer, c), cache.offset(kv, r0), kv16, 0, n * hs);
                for (int r = 0; r < rows; r++) {
                    int seen = Math.min(n, positions[first + r] + 1 - t0);
                    if (seen <= 0) continue;
                    AttentionKernels.weightedSumHeads(s, r * group * TILE, TILE, group, kv16, seen, hs, a, r * group * hs);
                }
                t0 += n;
            }
            if (splits == 1) {
                for (int r = 0; r < rows; r++) {
                    int qBase = (first + r) * qDim + kv * group * hs;
                    for (int j = 0; j < group; j++) {
                        int h = r * group + j;
                        System.arraycopy(a, h * hs, out, qBase + j * hs, hs);
                        VectorMath.scale(out, qBase + j * hs, hs, 1f / l[h]);
                    }
                }
            } else {
                // blocks only when every tile is one row: task = (row * kvHeads + kv) * splits + block
                int p = task * group;
                System.arraycopy(m, 0, partMax, p, group);
                System.arraycopy(l, 0, partSum, p, group);
                System.arraycopy(a, 0, partAcc, p * hs, group * hs);
            }
        }
    }

    /** Combines the blocks of each (row, head): {@code out = sum_b e^(m_b - M) acc_b / sum_b e^(m_b - M) l_b}. */
    private void merge(int rows) {
        for (int row = 0; row < rows; row++) {
            for (int kv = 0; kv < kvHeads; kv++) {
                int pair = row * kvHeads + kv;
                for (int j = 0; j < group; j++) {
                    int o = row * qDim + (kv * group + j) * hs;
                    float max = Float.NEGATIVE_INFINITY;
                    for (int b = 0; b < splits; b++) max = Math.max(max, partMax[(pair * splits + b) * group + j]);
                    Arrays.fill(out, o, o + hs, 0f);
                    float sum = 0f;
                    for (int b = 0; b < splits; b++) {
                        int p = (pair * splits + b) * group + j;
                        if (partMax[p] == Float.NEGATIVE_INFINITY) continue; // an empty block (past this row's end)
                        float w = (float) Math.exp(partMax[p] - max);
                        sum += w * partSum[p];
                        VectorMath.axpy(w, partAcc, p * hs, out, o, hs);
                    }
                    VectorMath.scale(out, o, hs, 1f / sum);
                }
            }
        }
    }

    private void ensureScores(int n) {
        if (scores[0].length < n) {
            int size = Math.max(n, Math.min(2 * scores[0].length, Integer.MAX_VALUE / 2));
            for (int t = 0; t < threads; t++) scores[t] = new float[size];
        }
    }

    private void ensurePartials(int n) {
        if (partMax.length < n) {
            partMax = new float[n];
            partSum = new float[n];
            partAcc = new float[n * hs];
        }
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
