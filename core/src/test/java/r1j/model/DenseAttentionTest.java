package r1j.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import r1j.tensor.ComputePool;
import r1j.tensor.VectorMath;

/**
 * {@link DenseAttention} against two independent references: a plain double-precision loop over the values the
 * cache holds (F16-rounded for an F16 cache), and — for the F32 cache — a transcription of r1j's attention before
 * the compact cache (per (row, head): all scores, {@link VectorMath#softmax}, then {@code axpy} in position order),
 * which the F32 kernel must match bit for bit whatever the threads and the GQA grouping.
 */
class DenseAttentionTest {

    /** Max abs difference from the double reference: float sums over a few hundred positions. */
    static final float TOLERANCE = 2e-5f;

    static Stream<Arguments> shapes() {
        List<Arguments> out = new ArrayList<>();
        // heads, kvHeads, headSize, chunk, threads, rows (one sequence per slot) and their lengths
        int[][] cases = {
                {4, 4, 16, 256, 1}, {8, 2, 32, 5, 2}, {12, 2, 64, 256, 2}, {6, 1, 24, 7, 3}, {4, 2, 20, 32, 2},
                {32, 8, 16, 256, 4},
        };
        for (int[] c : cases) {
            for (int[] lens : new int[][] {{1}, {300}, {1000}, {3, 40, 33, 1}, {700, 2}}) {
                out.add(Arguments.of(c[0], c[1], c[2], c[3], c[4], lens));
            }
        }
        return out.stream();
    }

    /**
     * Head sizes below the vector width, so that every sum runs in plain Java float arithmetic: with wider heads the
     * original's own bits change by an ulp while the JIT moves {@link VectorMath} from the interpreter to compiled
     * code (its lane reductions are ordered differently), which would make a bit-for-bit test depend on timing.
     * Wider heads are covered against the reference below.
     */
    static Stream<Arguments> scalarShapes() {
        List<Arguments> out = new ArrayList<>();
        int[][] cases = {{4, 4, 4, 256, 1}, {8, 2, 6, 5, 2}, {12, 2, 4, 256, 2}, {6, 1, 6, 7, 3}, {16, 4, 5, 32, 4}};
        for (int[] c : cases) {
            for (int[] lens : new int[][] {{1}, {300}, {1000}, {3, 40, 33, 1}, {700, 2}}) {
                out.add(Arguments.of(c[0], c[1], c[2], c[3], c[4], lens));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "heads {0} kv {1} hs {2} chunk {3} threads {4} lens {5}")
    @MethodSource("scalarShapes")
    void f32Cache_matchesTheOriginalComputationBitForBit(int heads, int kvHeads, int hs, int chunk, int threads, int[] lens) {
        Setup s = new Setup(KvCacheType.F32, heads, kvHeads, hs, chunk, lens, 7);
        float[] got = s.run(threads), expected = s.original();
        for (int i = 0; i < got.length; i++) {
            assertThat(Float.floatToRawIntBits(got[i])).as("output %d", i).isEqualTo(Float.floatToRawIntBits(expected[i]));
        }
    }

    @ParameterizedTest(name = "heads {0} kv {1} hs {2} chunk {3} threads {4} lens {5}")
    @MethodSource("shapes")
    void f32Cache_matchesAPlainReference(int heads, int kvHeads, int hs, int chunk, int threads, int[] lens) {
        Setup s = new Setup(KvCacheType.F32, heads, kvHeads, hs, chunk, lens, 7);
        assertThat(maxAbsDiff(s.run(threads), s.reference())).isLessThanOrEqualTo(TOLERANCE);
    }

    @ParameterizedTest(name = "heads {0} kv {1} hs {2} chunk {3} threads {4} lens {5}")
    @MethodSource("shapes")
    void f16Cache_matchesAPlainReferenceOverTheRoundedValues(int heads, int kvHeads, int hs, int chunk, int threads, int[] lens) {
        Setup s = new Setup(KvCacheType.F16, heads, kvHeads, hs, chunk, lens, 11);
        assertThat(maxAbsDiff(s.run(threads), s.reference())).isLessThanOrEqualTo(TOLERANCE);
    }

    @ParameterizedTest(name = "heads {0} kv {1} hs {2} chunk {3} threads {4} lens {5}")
    @MethodSource("shapes")
    void f16Cache_sameResultWithOneThreadOrMany(int heads, int kvHeads, int hs, int chunk, int threads, int[] lens) {
        Setup s = new Setup(KvCacheType.F16, heads, kvHeads, hs, chunk, lens, 13);
        // the split into position blocks depends on the threads, so results agree to rounding, not bits
        assertThat(maxAbsDiff(s.run(threads), s.run(1))).isLessThanOrEqualTo(TOLERANCE);
    }

    /** Batches of prompt rows: each sequence's last {@code lastRows} positions, one row each, in position order. */
    static Stream<Arguments> prompts() {
        List<Arguments> out = new ArrayList<>();
        int[][] cases = {{4, 4, 16, 256, 1}, {8, 2, 32, 5, 2}, {12, 2, 64, 256, 2}, {6, 1, 24, 7, 3}};
        for (int[] c : cases) {
            for (int[] lens : new int[][] {{5}, {37}, {300}, {3, 40, 33, 1}, {700, 2}}) {
                for (int lastRows : new int[] {2, 37}) out.add(Arguments.of(c[0], c[1], c[2], c[3], c[4], lens, lastRows));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "heads {0} kv {1} hs {2} chunk {3} threads {4} lens {5} last {6} rows")
    @MethodSource("prompts")
    void f16Cache_promptRowsEachAttendUpToTheirOwnPosition(int heads, int kvHeads, int hs, int chunk, int threads, int[] lens, int lastRows) {
        Setup s = new Setup(KvCacheType.F16, heads, kvHeads, hs, chunk, lens, lastRows, 17);
        assertThat(maxAbsDiff(s.run(threads), s.reference())).isLessThanOrEqualTo(TOLERANCE);
    }

    @ParameterizedTest(name = "heads {0} kv {1} hs {2} chunk {3} threads {4} lens {5} last {6} rows")
    @MethodSource("prompts")
    void f32Cache_promptRowsEachAttendUpToTheirOwnPosition(int heads, int kvHeads, int hs, int chunk, int threads, int[] lens, int lastRows) {
        Setup s = new Setup(KvCacheType.F32, heads, kvHeads, hs, chunk, lens, lastRows, 19);
        assertThat(maxAbsDiff(s.run(threads), s.reference())).isLessThanOrEqualTo(TOLERANCE);
    }

    /**
     * A cache of random keys and values, random queries; the batch has one row per sequence at its last position, or
     * rows for each sequence's last {@code lastRows} positions (a prompt).
     */
    private static final class Setup {
        final ModelConfig config;
        final DenseKvCache cache;
        final Batch batch;
        final float[] q;
        final int hs, heads, kvHeads;

        Setup(KvCacheType type, int heads, int kvHeads, int hs, int chunk, int[] lens, long seed) {
            this(type, heads, kvHeads, hs, chunk, lens, 1, seed);
        }

        Setup(KvCacheType type, int heads, int kvHeads, int hs, int chunk, int[] lens, int lastRows, long seed) {
            this.heads = heads;
            this.kvHeads = kvHeads;
            this.hs = hs;
            config = new ModelConfig("llama", heads * hs, 4, 1, heads, kvHeads, hs, 8, 4096, 1e-5f, 1e4f, hs & ~1, false, null);
            int context = Arrays.stream(lens).max().orElseThrow();
            cache = new DenseKvCache(type, lens.length, 1, kvHeads, hs, context, chunk);
            SplittableRandom r = new SplittableRandom(seed);
            List<int[]> rows = new ArrayList<>(); // {slot, position}
            for (int s = 0; s < lens.length; s++) {
                for (int p = Math.max(0, lens[s] - lastRows); p < lens[s]; p++) rows.add(new int[] {s, p});
            }
            int n = rows.size();
            int[] slots = new int[n], positions = new int[n];
            for (int i = 0; i < n; i++) {
                slots[i] = rows.get(i)[0];
                positions[i] = rows.get(i)[1];
            }
            for (int s = 0; s < lens.length; s++) {
                for (int p = 0; p < lens[s]; p++) {
                    // keys large enough that the softmax is far from uniform, so the weighting is really tested
                    float[] k = gaussian(r, kvHeads * hs, 1.5), v = gaussian(r, kvHeads * hs, 1.0);
                    cache.store(s, 0, p, k, 0, v, 0);
                }
            }
            batch = new Batch(new int[n], positions, slots, new boolean[n]);
            q = gaussian(r, n * heads * hs, 1.0);
        }

        float[] run(int threads) {
            float[] out = new float[q.length];
            Arrays.fill(out, Float.NaN); // every output must be written
            try (ComputePool pool = new ComputePool(threads)) {
                new DenseAttention(config, pool).run(cache, 0, batch, q, out);
            }
            return out;
        }

        /** The key (or value) the cache holds for (slot, position, kv head, i), as a float. */
        float stored(boolean key, int slot, int pos, int kv, int i) {
            int c = pos / cache.chunkPositions(), off = cache.offset(kv, pos % cache.chunkPositions()) + i;
            if (cache.type() == KvCacheType.F32) return (key ? cache.keyChunk(slot, 0, c) : cache.valueChunk(slot, 0, c))[off];
            if (key) return Float.float16ToFloat(cache.keyChunkF16(slot, 0, c)[cache.keyOffsetF16(kv, i, pos % cache.chunkPositions())]);
            return Float.float16ToFloat(cache.valueChunkF16(slot, 0, c)[off]);
        }

        /** Softmax attention in doubles, head by head. */
        float[] reference() {
            float[] out = new float[q.length];
            int group = heads / kvHeads;
            for (int row = 0; row < batch.size(); row++) {
                int slot = batch.slots()[row], len = batch.positions()[row] + 1;
                for (int h = 0; h < heads; h++) {
                    int kv = h / group, qOff = (row * heads + h) * hs;
                    double[] w = new double[len];
                    double max = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int t = 0; t < len; t++) {
                        double d = 0;
                        for (int i = 0; i < hs; i++) d += (double) q[qOff + i] * stored(true, slot, t, kv, i);
                        w[t] = d / Math.sqrt(hs);
                        max = Math.max(max, w[t]);
                    }
                    for (int t = 0; t < len; t++) sum += w[t] = Math.exp(w[t] - max);
                    for (int i = 0; i < hs; i++) {
                        double o = 0;
                        for (int t = 0; t < len; t++) o += w[t] / sum * stored(false, slot, t, kv, i);
                        out[qOff + i] = (float) o;
                    }
                }
            }
            return out;
        }

        /** r1j's attention before the compact cache, for one (row, head) at a time (F32 cache only). */
        float[] original() {
            float[] out = new float[q.length];
            float scale = (float) (1.0 / Math.sqrt(hs));
            int group = heads / kvHeads;
            for (int row = 0; row < batch.size(); row++) {
                int slot = batch.slots()[row], len = batch.positions()[row] + 1;
                for (int h = 0; h < heads; h++) {
                    int kv = h / group, qOff = (row * heads + h) * hs;
                    float[] scores = new float[len], key = new float[hs], value = new float[hs];
                    for (int t = 0; t < len; t++) {
                        for (int i = 0; i < hs; i++) key[i] = stored(true, slot, t, kv, i);
                        scores[t] = VectorMath.dot(q, qOff, key, 0, hs) * scale;
                    }
                    VectorMath.softmax(scores, 0, len);
                    for (int t = 0; t < len; t++) {
                        for (int i = 0; i < hs; i++) value[i] = stored(false, slot, t, kv, i);
                        VectorMath.axpy(scores[t], value, 0, out, qOff, hs);
                    }
                }
            }
            return out;
        }
    }

    static float[] gaussian(SplittableRandom r, int n, double sigma) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            double u = r.nextDouble(), v = r.nextDouble();
            x[i] = (float) (sigma * Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v));
        }
        return x;
    }

    static float maxAbsDiff(float[] a, float[] b) {
        float m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return Float.isNaN(m) ? Float.NaN : m;
    }
}
