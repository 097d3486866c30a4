package r1j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static r1j.model.GoldenModels.*;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@code deepseek2} under continuous batching and prefix reuse: rows of different sequences in one step (their MoE
 * rows grouped by expert together) behave as if each sequence ran alone, and a latent-cache prefix copied to another
 * slot continues exactly like the original.
 */
class DeepSeek2BatchingTest {

    /** Same math, different grouping of rows per expert: only summation order may differ. */
    static final float SAME_MATH = 1e-4f;

    private static float[] alone(LanguageModel model, int[] tokens) {
        float[] logits = new float[tokens.length * model.config().vocab()];
        model.forward(Batch.ofSequence(tokens, 0, true), model.newCache(1, tokens.length), logits);
        return logits;
    }

    @Test
    void forward_twoSequencesInterleavedInDifferentSlots_equalEachAlone() throws Exception {
        int[] a = sequence("deepseek2-v3", "seq8");
        int[] b = Arrays.copyOfRange(sequence("deepseek2-v3", "seq48"), 0, 11);
        try (LanguageModel model = ModelLoader.load(model("deepseek2-v3", "Q4_K_M"))) {
            int vocab = model.config().vocab();
            float[] aAlone = alone(model, a), bAlone = alone(model, b);
            int n = a.length + b.length;
            int[] tokens = new int[n], positions = new int[n], slots = new int[n];
            int[] rowOfA = new int[a.length], rowOfB = new int[b.length];
            for (int i = 0, ia = 0, ib = 0; i < n; i++) {
                boolean takeB = ib < b.length && (ib <= ia || ia == a.length);
                if (takeB) { tokens[i] = b[ib]; positions[i] = ib; slots[i] = 1; rowOfB[ib++] = i; }
                else { tokens[i] = a[ia]; positions[i] = ia; slots[i] = 0; rowOfA[ia++] = i; }
            }
            boolean[] want = new boolean[n];
            Arrays.fill(want, true);
            float[] mixed = new float[n * vocab];
            KvCache cache = model.newCache(2, 16);
            model.forward(new Batch(tokens, positions, slots, want), cache, mixed);
            for (int p = 0; p < a.length; p++) assertRow(mixed, rowOfA[p], aAlone, p, vocab);
            for (int p = 0; p < b.length; p++) assertRow(mixed, rowOfB[p], bAlone, p, vocab);
            assertThat(cache.length(0)).isEqualTo(a.length);
            assertThat(cache.length(1)).isEqualTo(b.length);
        }
    }

    @Test
    void copyPrefix_inSmallChunks_continuesLikeTheOriginalAndMatchesLlamaCpp() throws Exception {
        int[] tokens = sequence("deepseek2-lite", "seq48");
        float[] expected = f32("deepseek2-lite", "Q8_0.deq.logits.seq48.f32");
        try (LanguageModel model = ModelLoader.load(model("deepseek2-lite", "Q8_0"))) {
            int vocab = model.config().vocab();
            DeepSeek2Config c = (DeepSeek2Config) model.config();
            LatentKvCache cache = new LatentKvCache(2, c.layers(), c.mla().latentDim(), 64, 5);
            float[] logits = new float[tokens.length * vocab];
            model.forward(Batch.ofSequence(Arrays.copyOf(tokens, 13), 0, true), cache, logits);
            cache.copyPrefix(0, 1, 11);
            assertThat(cache.length(1)).isEqualTo(11);
            float[] step = new float[vocab];
            for (int p = 11; p < tokens.length; p++) {
                model.forward(new Batch(new int[] {tokens[p]}, new int[] {p}, new int[] {1}, new boolean[] {true}), cache, step);
                assertThat(maxAbsDiff(step, Arrays.copyOfRange(expected, p * vocab, (p + 1) * vocab), vocab))
                        .as("position %d", p).isLessThanOrEqualTo(DeepSeek2GoldenTest.TOLERANCE);
            }
            // chunks of 5 positions: slot 0 holds 13 positions (3 chunks), slot 1 ends at 48 (10 chunks)
            assertThat(cache.bytes()).isEqualTo((3L + 10) * c.layers() * 5 * c.mla().latentDim() * Float.BYTES);
        }
    }

    @Test
    void forward_denseCacheIsRejected() throws Exception {
        try (LanguageModel model = ModelLoader.load(model("deepseek2-lite", "Q4_0"))) {
            KvCache dense = new DenseKvCache(KvCacheType.F32, 1, 27, 4, 16, 8);
            assertThatThrownBy(() -> model.forward(Batch.ofSequence(new int[] {1}, 0, true), dense, new float[512]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("newCache()");
        }
    }

    private static void assertRow(float[] got, int row, float[] want, int wantRow, int vocab) {
        float[] a = Arrays.copyOfRange(got, row * vocab, (row + 1) * vocab);
        float[] b = Arrays.copyOfRange(want, wantRow * vocab, (wantRow + 1) * vocab);
        assertThat(maxAbsDiff(a, b, vocab)).as("row %d", row).isLessThanOrEqualTo(SAME_MATH);
    }
}
