package r1j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DenseKvCacheTest {

    private static Batch rows(int[] slots, int[] positions) {
        return new Batch(new int[slots.length], positions, slots, new boolean[slots.length]);
    }

    @Test
    void checkRows_acceptsInterleavedSlotsThatContinueTheirPositions() {
        DenseKvCache cache = new DenseKvCache(KvCacheType.F32, 2, 1, 1, 4, 8);
        Batch batch = rows(new int[] {0, 1, 0, 1, 1}, new int[] {0, 0, 1, 1, 2});
        cache.checkRows(batch);
        cache.commit(batch);
        assertThat(cache.length(0)).isEqualTo(2);
        assertThat(cache.length(1)).isEqualTo(3);
        cache.checkRows(rows(new int[] {1, 0}, new int[] {3, 2}));
    }

    @Test
    void checkRows_rejectsAGapNamingSlotPositionAndLength() {
        DenseKvCache cache = new DenseKvCache(KvCacheType.F32, 2, 1, 1, 4, 8);
        cache.commit(rows(new int[] {1, 1}, new int[] {0, 1}));
        assertThatThrownBy(() -> cache.checkRows(rows(new int[] {1}, new int[] {3})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("position 3")
                .hasMessageContaining("slot 1")
                .hasMessageContaining("holds 2 tokens");
    }

    @Test
    void checkRows_rejectsPositionsPastTheContext() {
        DenseKvCache cache = new DenseKvCache(KvCacheType.F32, 1, 1, 1, 4, 2);
        assertThatThrownBy(() -> cache.checkRows(rows(new int[] {0, 0, 0}, new int[] {0, 1, 2})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("past the KV cache context of 2");
    }

    @Test
    void checkRows_rejectsUnknownSlots() {
        DenseKvCache cache = new DenseKvCache(KvCacheType.F32, 2, 1, 1, 4, 8);
        assertThatThrownBy(() -> cache.checkRows(rows(new int[] {2}, new int[] {0})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("slot 2");
    }

    @Test
    void copyPrefix_copiesKeysAndValuesOfEveryLayerAcrossChunksAndSetsTheLength() {
        DenseKvCache cache = new DenseKvCache(KvCacheType.F32, 2, 2, 1, 3, 600);
        int n = 300; // spans two chunks of 256 positions
        for (int l = 0; l < 2; l++) {
            for (int p = 0; p < n; p++) {
                float[] k = {1000 * l + p, 1, 2}, v = {-(1000 * l + p), -1, -2};
                cache.store(0, l, p, k, 0, v, 0);
            }
        }
        cache.commit(rows(new int[n], java.util.stream.IntStream.range(0, n).toArray()));
        cache.copyPrefix(0, 1, 280);
        assertThat(cache.length(1)).isEqualTo(280);
        for (int l = 0; l < 2; l++) {
            assertThat(cache.keyChunk(1, l, 0)[5 * 3]).isEqualTo(1000 * l + 5);
            assertThat(cache.valueChunk(1, l, 0)[5 * 3]).isEqualTo(-(1000 * l + 5));
            assertThat(cache.keyChunk(1, l, 1)[(279 - 256) * 3]).isEqualTo(1000 * l + 279);
            assertThat(cache.valueChunk(1, l, 1)[(279 - 256) * 3 + 2]).isEqualTo(-2);
        }
        assertThatThrownBy(() -> cache.copyPrefix(0, 1, n + 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void truncate_shortensTheSlotSoItsPositionsCanBeRewritten() {
        DenseKvCache cache = new DenseKvCache(KvCacheType.F32, 1, 1, 1, 2, 8);
        cache.commit(rows(new int[] {0, 0, 0, 0}, new int[] {0, 1, 2, 3}));
        cache.truncate(0, 2);
        assertThat(cache.length(0)).isEqualTo(2);
        cache.checkRows(rows(new int[] {0}, new int[] {2}));
        cache.truncate(0, 5);
        assertThat(cache.length(0)).isEqualTo(2);
        cache.truncate(0, 0);
        assertThat(cache.length(0)).isZero();
    }

    @Test
    void bytes_growWithTheChunksWrittenUpToTheCapacity() {
        DenseKvCache cache = new DenseKvCache(KvCacheType.F32, 3, 2, 1, 128, 1000);
        assertThat(cache.bytes()).isZero();
        assertThat(cache.capacityBytes()).isEqualTo(2L * 3 * 2 * 1024 * 128 * 4); // 1000 positions round up to 4 chunks
        float[] kv = new float[128];
        cache.store(1, 0, 0, kv, 0, kv, 0);
        cache.store(1, 0, 255, kv, 0, kv, 0);
        assertThat(cache.bytes()).isEqualTo(2L * 256 * 128 * 4);
        cache.store(1, 0, 256, kv, 0, kv, 0);
        assertThat(cache.bytes()).isEqualTo(2L * 2 * 256 * 128 * 4);
    }

    @Test
    void constructor_fullContextOfALargeModelCostsNothingUntilUsed() {
        // 8 slots x 80 layers x 131072 tokens x 1024 wide would be 2.7 TiB if allocated up front.
        DenseKvCache cache = new DenseKvCache(KvCacheType.F32, 8, 80, 1, 1024, 131072);
        assertThat(cache.bytes()).isZero();
        assertThat(cache.capacityBytes()).isEqualTo(2L * 8 * 80 * 131072 * 1024 * 4);
    }

    @Test
    void chunkPositions_neverExceedTheContext() {
        assertThat(new DenseKvCache(KvCacheType.F32, 1, 1, 1, 4, 10).chunkPositions()).isEqualTo(10);
        assertThat(new DenseKvCache(KvCacheType.F32, 1, 1, 1, 4, 100000).chunkPositions()).isEqualTo(DenseKvCache.CHUNK_POSITIONS);
    }

    @Test
    void store_keepsEachKvHeadsPositionsContiguous() {
        DenseKvCache cache = new DenseKvCache(KvCacheType.F32, 1, 1, 2, 3, 8);
        float[] kv = {1, 2, 3, 4, 5, 6}; // head 0: 1 2 3, head 1: 4 5 6
        cache.store(0, 0, 0, kv, 0, kv, 0);
        cache.store(0, 0, 1, new float[] {7, 8, 9, 10, 11, 12}, 0, kv, 0);
        float[] keys = cache.keyChunk(0, 0, 0);
        assertThat(java.util.Arrays.copyOfRange(keys, cache.offset(0, 0), cache.offset(0, 0) + 6)).containsExactly(1, 2, 3, 7, 8, 9);
        assertThat(java.util.Arrays.copyOfRange(keys, cache.offset(1, 0), cache.offset(1, 0) + 6)).containsExactly(4, 5, 6, 10, 11, 12);
    }

    @Test
    void store_f16KeysKeepEachDimensionsPositionsContiguous() {
        DenseKvCache cache = new DenseKvCache(KvCacheType.F16, 1, 1, 2, 3, 8);
        cache.store(0, 0, 0, new float[] {1, 2, 3, 4, 5, 6}, 0, new float[6], 0); // head 0: 1 2 3, head 1: 4 5 6
        cache.store(0, 0, 1, new float[] {7, 8, 9, 10, 11, 12}, 0, new float[6], 0);
        short[] keys = cache.keyChunkF16(0, 0, 0);
        // chunk [head][dim][position], 8 positions a chunk: head 1's dimension 2 at positions 0 and 1 are 6 and 12
        assertThat(halfs(keys, (0 * 3 + 0) * 8, 2)).containsExactly(1, 7);
        assertThat(halfs(keys, (0 * 3 + 2) * 8, 2)).containsExactly(3, 9);
        assertThat(halfs(keys, (1 * 3 + 2) * 8, 2)).containsExactly(6, 12);
        assertThat(cache.keyOffsetF16(1, 2, 1)).isEqualTo((1 * 3 + 2) * 8 + 1);
    }

    @Test
    void copyPrefix_f16CopiesTransposedKeysAcrossChunks() {
        DenseKvCache cache = new DenseKvCache(KvCacheType.F16, 2, 1, 2, 3, 600);
        int n = 300; // two chunks of 256
        for (int p = 0; p < n; p++) {
            float[] k = {p, 1, 2, -p, -1, -2}, v = {p, 0, 0, 0, 0, -p};
            cache.store(0, 0, p, k, 0, v, 0);
        }
        cache.commit(rows(new int[n], java.util.stream.IntStream.range(0, n).toArray()));
        cache.copyPrefix(0, 1, 280);
        short[] k0 = cache.keyChunkF16(1, 0, 0), k1 = cache.keyChunkF16(1, 0, 1);
        assertThat(Float.float16ToFloat(k0[cache.keyOffsetF16(0, 0, 5)])).isEqualTo(5);
        assertThat(Float.float16ToFloat(k0[cache.keyOffsetF16(1, 0, 255)])).isEqualTo(-255);
        assertThat(Float.float16ToFloat(k1[cache.keyOffsetF16(1, 2, 279 - 256)])).isEqualTo(-2);
        assertThat(Float.float16ToFloat(k1[cache.keyOffsetF16(0, 0, 279 - 256)])).isEqualTo(279);
        assertThat(Float.float16ToFloat(k1[cache.keyOffsetF16(0, 0, 280 - 256)])).as("past the copied prefix").isEqualTo(0);
        assertThat(Float.float16ToFloat(cache.valueChunkF16(1, 0, 1)[cache.offset(1, 279 - 256) + 2])).isEqualTo(-279);
    }

    private static float[] halfs(short[] h, int from, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = Float.float16ToFloat(h[from + i]);
        return f;
    }

    @Test
    void store_f16RoundsToNearestHalfAndHalvesTheBytes() {
        DenseKvCache f16 = new DenseKvCache(KvCacheType.F16, 1, 1, 1, 2, 8);
        DenseKvCache f32 = new DenseKvCache(KvCacheType.F32, 1, 1, 1, 2, 8);
        float[] k = {0.1f, -3.14159f}, v = {65504f, 1e-6f};
        f16.store(0, 0, 0, k, 0, v, 0);
        f32.store(0, 0, 0, k, 0, v, 0);
        assertThat(f16.bytes() * 2).isEqualTo(f32.bytes());
        for (int i = 0; i < 2; i++) {
            assertThat(Float.float16ToFloat(f16.keyChunkF16(0, 0, 0)[f16.keyOffsetF16(0, i, 0)])).isEqualTo(Float.float16ToFloat(Float.floatToFloat16(k[i])));
            assertThat(Float.float16ToFloat(f16.valueChunkF16(0, 0, 0)[i])).isEqualTo(Float.float16ToFloat(Float.floatToFloat16(v[i])));
        }
        assertThat(Float.float16ToFloat(f16.keyChunkF16(0, 0, 0)[0])).isCloseTo(0.1f, org.assertj.core.data.Offset.offset(1e-4f));
    }

    @Test
    void constructor_rejectsAutoNamingWhatToDo() {
        assertThatThrownBy(() -> new DenseKvCache(KvCacheType.AUTO, 1, 1, 1, 2, 8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("resolve AUTO");
    }
}
