package r1j.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LogitOrderTest {

    @Test
    void keys_orderLogitsDescendingThenIdsAscending() {
        long[] keys = {
            LogitOrder.key(-1f, 0), LogitOrder.key(3f, 5), LogitOrder.key(3f, 2),
            LogitOrder.key(Float.NEGATIVE_INFINITY, 1), LogitOrder.key(0f, 7), LogitOrder.key(-0f, 3),
        };
        Arrays.sort(keys);

        assertThat(Arrays.stream(keys).mapToInt(LogitOrder::id).toArray()).containsExactly(2, 5, 3, 7, 0, 1);
    }

    @Test
    void key_roundTripsLogitAndId() {
        float[] logits = {1.5f, -2.25f, 0f, 1e-30f, -1e30f, Float.NEGATIVE_INFINITY, Float.MAX_VALUE};
        for (int i = 0; i < logits.length; i++) {
            long k = LogitOrder.key(logits[i], 151_000 + i);
            assertThat(LogitOrder.logit(k)).isEqualTo(logits[i]);
            assertThat(LogitOrder.id(k)).isEqualTo(151_000 + i);
        }
    }

    @Test
    void selectSmallest_givesTheSamePrefixAsAFullSort() {
        SplittableRandom random = new SplittableRandom(7);
        for (int k : new int[] {1, 2, 40, 999, 1000}) {
            long[] keys = new long[1000];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = LogitOrder.key((float) random.nextInt(50), i); // many equal logits
            }
            long[] sorted = keys.clone();
            Arrays.sort(sorted);

            LogitOrder.selectSmallest(keys, keys.length, k);

            assertThat(Arrays.copyOf(keys, k)).as("k=%d", k).containsExactly(Arrays.copyOf(sorted, k));
        }
    }

    @Test
    void sort_ordersARangeInPlace_likeAFullSort() {
        SplittableRandom random = new SplittableRandom(11);
        for (int n : new int[] {0, 1, 2, 3, 17, 1000}) {
            long[] keys = new long[n + 4];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = LogitOrder.key((float) random.nextInt(30) - 15, i);
            }
            long[] expected = keys.clone();
            Arrays.sort(expected, 2, 2 + n);

            LogitOrder.sort(keys, 2, 2 + n);

            assertThat(keys).as("n=%d", n).containsExactly(expected);
        }
    }
}
