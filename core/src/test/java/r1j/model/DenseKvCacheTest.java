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
        DenseKvCache cache = new DenseKvCache(2, 1, 4, 8);
        Batch batch = rows(new int[] {0, 1, 0, 1, 1}, new int[] {0, 0, 1, 1, 2});
        cache.checkRows(batch);
        cache.commit(batch);
        assertThat(cache.length(0)).isEqualTo(2);
        assertThat(cache.length(1)).isEqualTo(3);
        cache.checkRows(rows(new int[] {1, 0}, new int[] {3, 2}));
    }

    @Test
    void checkRows_rejectsAGapNamingSlotPositionAndLength() {
        DenseKvCache cache = new DenseKvCache(2, 1, 4, 8);
        cache.commit(rows(new int[] {1, 1}, new int[] {0, 1}));
        assertThatThrownBy(() -> cache.checkRows(rows(new int[] {1}, new int[] {3})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("position 3")
                .hasMessageContaining("slot 1")
                .hasMessageContaining("holds 2 tokens");
    }

    @Test
    void checkRows_rejectsPositionsPastTheContext() {
        DenseKvCache cache = new DenseKvCache(1, 1, 4, 2);
        assertThatThrownBy(() -> cache.checkRows(rows(new int[] {0, 0, 0}, new int[] {0, 1, 2})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("past the KV cache context of 2");
    }

    @Test
    void checkRows_rejectsUnknownSlots() {
        DenseKvCache cache = new DenseKvCache(2, 1, 4, 8);
        assertThatThrownBy(() -> cache.checkRows(rows(new int[] {2}, new int[] {0})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("slot 2");
    }

    @Test
    void copyPrefix_copiesKeysAndValuesOfEveryLayerAndSetsTheLength() {
        DenseKvCache cache = new DenseKvCache(2, 2, 3, 4);
        for (int l = 0; l < 2; l++) {
            for (int i = 0; i < 12; i++) {
                cache.keys(0, l)[i] = 100 * l + i;
                cache.values(0, l)[i] = -(100 * l + i);
            }
        }
        cache.commit(rows(new int[] {0, 0, 0}, new int[] {0, 1, 2}));
        cache.copyPrefix(0, 1, 2);
        assertThat(cache.length(1)).isEqualTo(2);
        for (int l = 0; l < 2; l++) {
            for (int i = 0; i < 6; i++) {
                assertThat(cache.keys(1, l)[i]).isEqualTo(100 * l + i);
                assertThat(cache.values(1, l)[i]).isEqualTo(-(100 * l + i));
            }
        }
        assertThatThrownBy(() -> cache.copyPrefix(0, 1, 4)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void truncate_shortensTheSlotSoItsPositionsCanBeRewritten() {
        DenseKvCache cache = new DenseKvCache(1, 1, 2, 8);
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
    void bytes_countsKeysAndValuesOfTheRequestedContext() {
        assertThat(new DenseKvCache(3, 2, 128, 1000).bytes()).isEqualTo(2L * 3 * 2 * 1000 * 128 * 4);
    }

    @Test
    void constructor_rejectsACacheLargerThanTheHeapSayingWhatToChange() {
        int slots = (int) Math.min(Integer.MAX_VALUE / 8, Runtime.getRuntime().maxMemory() / (2L * 1024 * 1024 * 4) + 1);
        assertThatThrownBy(() -> new DenseKvCache(slots, 8, 1024, 1024))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("GiB")
                .hasMessageContaining("-Xmx");
    }

    @Test
    void constructor_rejectsAContextTooLargeForOneArray() {
        assertThatThrownBy(() -> new DenseKvCache(1, 1, 1 << 16, 1 << 16))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("use a context");
    }
}
