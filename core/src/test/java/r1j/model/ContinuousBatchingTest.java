package r1j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static r1j.model.GoldenModels.*;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Rows of different sequences in one forward step behave as if each sequence ran alone. */
class ContinuousBatchingTest {

    /** Same math, different batch composition: only summation order may differ. */
    /** Same math up to summation order; F32 caches throughout (an F16 cache would round the small differences). */
    static final float SAME_MATH = 1e-5f;

    private static float[] alone(LanguageModel model, int[] tokens) {
        float[] logits = new float[tokens.length * model.config().vocab()];
        model.forward(Batch.ofSequence(tokens, 0, true), model.newCache(1, tokens.length, KvCacheType.F32), logits);
        return logits;
    }

    @Test
    void forward_twoSequencesInterleavedInDifferentSlots_equalEachAlone() throws Exception {
        int[] a = sequence("qwen2-tiny", "seq8");
        int[] b = Arrays.copyOfRange(sequence("qwen2-tiny", "seq48"), 0, 11);
        try (LanguageModel model = GoldenModels.loadPlain(model("qwen2-tiny", "Q4_K_M"))) {
            int vocab = model.config().vocab();
            float[] aAlone = alone(model, a), bAlone = alone(model, b);

            // rows: b0 a0 b1 a1 ... a7 b8 b9 b10, slot 1 holds b and slot 0 holds a
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
            KvCache cache = model.newCache(2, 16, KvCacheType.F32);
            model.forward(new Batch(tokens, positions, slots, want), cache, mixed);

            for (int p = 0; p < a.length; p++) assertRowEquals(mixed, rowOfA[p], aAlone, p, vocab);
            for (int p = 0; p < b.length; p++) assertRowEquals(mixed, rowOfB[p], bAlone, p, vocab);
            assertThat(cache.length(0)).isEqualTo(a.length);
            assertThat(cache.length(1)).isEqualTo(b.length);
        }
    }

    @Test
    void forward_decodeOfOneSlotBesidePrefillOfAnother_equalsEachAlone() throws Exception {
        int[] a = sequence("llama-tiny", "seq8");
        int[] b = Arrays.copyOfRange(sequence("llama-tiny", "seq48"), 0, 6);
        try (LanguageModel model = GoldenModels.loadPlain(model("llama-tiny", "Q6_K"))) {
            int vocab = model.config().vocab();
            float[] aAlone = alone(model, a), bAlone = alone(model, b);
            KvCache cache = model.newCache(3, 16, KvCacheType.F32);
            // slot 2 prefilled with a[0..7), then one step: decode a[7] in slot 2 + prefill b in slot 0, logits of
            // the decode row and of b's last row only.
            model.forward(new Batch(Arrays.copyOf(a, 7), new int[] {0, 1, 2, 3, 4, 5, 6}, new int[] {2, 2, 2, 2, 2, 2, 2},
                    new boolean[7]), cache, new float[0]);
            int[] tokens = new int[1 + b.length], positions = new int[1 + b.length], slots = new int[1 + b.length];
            boolean[] want = new boolean[1 + b.length];
            tokens[0] = a[7]; positions[0] = 7; slots[0] = 2; want[0] = true;
            for (int i = 0; i < b.length; i++) { tokens[1 + i] = b[i]; positions[1 + i] = i; }
            want[b.length] = true;
            float[] logits = new float[2 * vocab];
            model.forward(new Batch(tokens, positions, slots, want), cache, logits);
            assertRowEquals(logits, 0, aAlone, 7, vocab);
            assertRowEquals(logits, 1, bAlone, b.length - 1, vocab);
        }
    }

    @Test
    void forward_cacheInSmallChunks_matchesLlamaCppAndTheOneChunkCache() throws Exception {
        int[] tokens = sequence("qwen2-tiny", "seq48");
        float[] expected = f32("qwen2-tiny", "Q8_0.deq.logits.seq48.f32");
        try (LanguageModel model = GoldenModels.loadPlain(model("qwen2-tiny", "Q8_0"))) {
            int vocab = model.config().vocab();
            // the goldens were made with an F32 cache: this test is about chunk borders, so it uses F32 throughout
            float[] whole = new float[tokens.length * vocab];
            model.forward(Batch.ofSequence(tokens, 0, true), model.newCache(1, tokens.length, KvCacheType.F32), whole);
            // chunks of 5 positions: prefill 13 tokens, copy 11 of them to slot 1, then continue slot 1 token by token
            DenseKvCache cache = new DenseKvCache(KvCacheType.F32, 2, model.config().layers(), ((ModelConfig) model.config()).kvHeads(),
                    ((ModelConfig) model.config()).headSize(), 64, 5);
            float[] logits = new float[tokens.length * vocab];
            model.forward(Batch.ofSequence(Arrays.copyOf(tokens, 13), 0, true), cache, logits);
            cache.copyPrefix(0, 1, 11);
            float[] step = new float[vocab];
            for (int p = 11; p < tokens.length; p++) {
                model.forward(new Batch(new int[] {tokens[p]}, new int[] {p}, new int[] {1}, new boolean[] {true}), cache, step);
                System.arraycopy(step, 0, logits, p * vocab, vocab);
            }
            assertThat(maxAbsDiff(logits, expected, logits.length)).isLessThanOrEqualTo(DenseGoldenTest.TOLERANCE);
            assertThat(maxAbsDiff(logits, whole, logits.length)).isLessThanOrEqualTo(DenseGoldenTest.BATCH_VS_SEQUENTIAL);
        }
    }

    @Test
    void forward_rowThatSkipsAPosition_isRejectedBeforeAnythingIsCached() throws Exception {
        try (LanguageModel model = GoldenModels.loadPlain(model("llama-tiny", "Q4_0"))) {
            KvCache cache = model.newCache(1, 8, KvCacheType.F32);
            Batch gap = new Batch(new int[] {1, 2}, new int[] {0, 2}, new int[] {0, 0}, new boolean[] {false, true});
            assertThatThrownBy(() -> model.forward(gap, cache, new float[512]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("position 2 does not continue slot 0");
            assertThat(cache.length(0)).isZero();
        }
    }

    @Test
    void forward_cacheOfAnotherModelIsRejected() throws Exception {
        try (LanguageModel model = GoldenModels.loadPlain(model("llama-tiny", "Q4_0"))) {
            KvCache other = new DenseKvCache(KvCacheType.F16, 1, 3, ((ModelConfig) model.config()).kvHeads(), ((ModelConfig) model.config()).headSize(), 8);
            assertThatThrownBy(() -> model.forward(Batch.ofSequence(new int[] {1}, 0, true), other, new float[512]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("newCache");
        }
    }

    private static void assertRowEquals(float[] got, int gotRow, float[] expected, int expRow, int vocab) {
        float[] g = Arrays.copyOfRange(got, gotRow * vocab, (gotRow + 1) * vocab);
        float[] e = Arrays.copyOfRange(expected, expRow * vocab, (expRow + 1) * vocab);
        assertThat(maxAbsDiff(g, e, vocab)).as("row %d vs position %d", gotRow, expRow).isLessThanOrEqualTo(SAME_MATH);
    }
}
