package r1j.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import r1j.tensor.ComputePool;
import r1j.tensor.VectorMath;

/**
 * Hand-run timing harness, not an asserted test: one decode row's attention in one layer of the
 * R1-Distill-Qwen-1.5B shape (12 query heads, 2 KV heads, head size 128) at several depths, for the F32 kernel
 * (the original arithmetic, KV read once per group), the F16 kernel, and the original traversal (every query head
 * re-reads its KV head), on 1 and 2 threads. Times a whole decode step's attention (x 28 layers). Run with
 * <pre>./mvnw -q -B -o -pl core test -Dtest=AttentionTiming -Dr1j.timing=true</pre>
 */
@EnabledIfSystemProperty(named = "r1j.timing", matches = "true")
class AttentionTiming {

    static final int HEADS = 12, KV_HEADS = 2, HS = 128, LAYERS = 28;

    @Test
    void printTimings() {
        ModelConfig config = new ModelConfig("qwen2", HEADS * HS, 8960, 1, HEADS, KV_HEADS, HS, 8, 32768, 1e-6f, 1e6f, HS, true, null);
        for (int depth : new int[] {512, 4096}) {
            for (int threads : new int[] {1, 2}) {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "depth %5d threads %d:", depth, threads));
                for (String kernel : new String[] {"original-f32", "f32", "f16"}) {
                    KvCacheType type = kernel.equals("f16") ? KvCacheType.F16 : KvCacheType.F32;
                    DenseKvCache cache = new DenseKvCache(type, 1, 1, KV_HEADS, HS, depth);
                    SplittableRandom r = new SplittableRandom(1);
                    float[] kv = new float[KV_HEADS * HS];
                    for (int p = 0; p < depth; p++) {
                        for (int i = 0; i < kv.length; i++) kv[i] = (float) r.nextGaussian();
                        cache.store(0, 0, p, kv, 0, kv, 0);
                    }
                    Batch batch = new Batch(new int[1], new int[] {depth - 1}, new int[1], new boolean[1]);
                    float[] q = new float[HEADS * HS], out = new float[HEADS * HS];
                    for (int i = 0; i < q.length; i++) q[i] = (float) r.nextGaussian() * 0.1f;
                    try (ComputePool pool = new ComputePool(threads)) {
                        DenseAttention attention = new DenseAttention(config, pool);
                        Runnable run = kernel.equals("original-f32")
                                ? () -> original(cache, batch, q, out, pool)
                                : () -> attention.run(cache, 0, batch, q, out);
                        double ms = medianMillis(run);
                        line.append(String.format(Locale.ROOT, "  %s %.3f ms/layer = %.1f ms/step", kernel, ms, ms * LAYERS));
                    }
                }
                System.out.println(line);
            }
        }
    }

    /** The pre-kernel traversal: per (row, head) task, all scores, softmax, values; each head re-reads its KV head. */
    private static void original(DenseKvCache cache, Batch batch, float[] q, float[] out, ComputePool pool) {
        int len = batch.positions()[0] + 1, group = HEADS / KV_HEADS, chunk = cache.chunkPositions();
        float scale = (float) (1.0 / Math.sqrt(HS));
        float[][] scores = new float[pool.threads()][len];
        pool.run(pool.threads(), (ith, nth) -> {
            float[] s = scores[ith];
            for (int head = ith; head < HEADS; head += nth) {
                int kv = head / group, qOff = head * HS;
                for (int c = 0, start = 0; start < len; c++, start += chunk) {
                    float[] keys = cache.keyChunk(0, 0, c);
                    for (int t = 0, end = Math.min(chunk, len - start); t < end; t++) {
                        s[start + t] = VectorMath.dot(q, qOff, keys, cache.offset(kv, t), HS) * scale;
                    }
                }
                VectorMath.softmax(s, 0, len);
                Arrays.fill(out, qOff, qOff + HS, 0f);
                for (int c = 0, start = 0; start < len; c++, start += chunk) {
                    float[] values = cache.valueChunk(0, 0, c);
                    for (int t = 0, end = Math.min(chunk, len - start); t < end; t++) {
                        VectorMath.axpy(s[start + t], values, cache.offset(kv, t), out, qOff, HS);
                    }
                }
            }
        });
    }

    private static double medianMillis(Runnable run) {
        for (int i = 0; i < 200; i++) run.run(); // JIT
        double[] t = new double[101];
        for (int i = 0; i < t.length; i++) {
            long t0 = System.nanoTime();
            run.run();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(t);
        return t[t.length / 2];
    }
}
