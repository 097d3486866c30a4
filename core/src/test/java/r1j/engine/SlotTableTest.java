package r1j.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import r1j.model.Batch;
import r1j.model.KvCache;
import r1j.model.LanguageModel;
import r1j.model.ModelLoader;

/** The prefix cache's slot choices, on a real KV cache filled by the tiny model. */
class SlotTableTest {

    private LanguageModel model;
    private KvCache cache;
    private float[] logits;

    @BeforeEach
    void open() throws IOException {
        model = ModelLoader.load(EngineFixtures.model(EngineFixtures.QWEN, "F16"));
        cache = model.newCache(2, 64);
        logits = new float[model.config().vocab()];
    }

    @AfterEach
    void close() {
        model.close();
    }

    /** Acquires a slot for {@code prompt}, computes what was not reused, releases it into the cache. */
    private SlotTable.Placement run(SlotTable table, int[] prompt) {
        SlotTable.Placement p = table.acquireFor(prompt);
        int[] rest = java.util.Arrays.copyOfRange(prompt, p.reusedTokens(), prompt.length);
        Batch b = Batch.ofSequence(rest, p.reusedTokens(), false);
        Batch inSlot = new Batch(b.tokens(), b.positions(), filled(rest.length, p.slot()), b.wantLogits());
        model.forward(inSlot, cache, logits);
        table.appended(p.slot(), rest, 0, rest.length);
        table.release(p.slot(), true);
        return p;
    }

    private static int[] filled(int n, int value) {
        int[] a = new int[n];
        java.util.Arrays.fill(a, value);
        return a;
    }

    @Test
    void acquireFor_reusesLongestCachedPrefix_copyingIntoAnEmptySlot() {
        SlotTable table = new SlotTable(cache, true);
        SlotTable.Placement first = run(table, new int[] {1, 2, 3, 4, 5});
        assertThat(first.reusedTokens()).isZero();
        SlotTable.Placement second = table.acquireFor(new int[] {1, 2, 3, 9, 9, 9});
        assertThat(second.reusedTokens()).isEqualTo(3);
        assertThat(second.slot()).isNotEqualTo(first.slot());
        assertThat(cache.length(second.slot())).isEqualTo(3);
        // The original stays cached for the next prompt with the same prefix.
        assertThat(table.state(first.slot())).isEqualTo(SlotTable.State.CACHED);
        assertThat(table.cachedSlots()).isEqualTo(1);
        assertThat(table.activeSlots()).isEqualTo(1);
    }

    @Test
    void acquireFor_withoutEmptySlots_takesOverTheMatchingSlotAndTruncatesIt() {
        SlotTable table = new SlotTable(cache, true);
        SlotTable.Placement a = run(table, new int[] {1, 2, 3, 4, 5});
        SlotTable.Placement b = run(table, new int[] {7, 8, 9});
        assertThat(b.slot()).isNotEqualTo(a.slot());
        SlotTable.Placement c = table.acquireFor(new int[] {7, 8, 1, 1});
        assertThat(c.slot()).isEqualTo(b.slot());
        assertThat(c.reusedTokens()).isEqualTo(2);
        assertThat(cache.length(c.slot())).isEqualTo(2);
        assertThat(table.state(a.slot())).isEqualTo(SlotTable.State.CACHED);
    }

    @Test
    void acquireFor_neverReusesThePromptsLastToken() {
        SlotTable table = new SlotTable(cache, true);
        run(table, new int[] {1, 2, 3, 4});
        SlotTable.Placement again = table.acquireFor(new int[] {1, 2, 3, 4});
        assertThat(again.reusedTokens()).isEqualTo(3);
    }

    @Test
    void acquireEmpty_evictsTheLeastRecentlyUsedCachedSlot() {
        SlotTable table = new SlotTable(cache, true);
        SlotTable.Placement older = run(table, new int[] {1, 2, 3});
        SlotTable.Placement newer = run(table, new int[] {4, 5, 6});
        int slot = table.acquireEmpty();
        assertThat(slot).isEqualTo(older.slot());
        assertThat(cache.length(slot)).isZero();
        assertThat(table.state(newer.slot())).isEqualTo(SlotTable.State.CACHED);
    }

    @Test
    void release_withoutPrefixCache_emptiesTheSlot() {
        SlotTable table = new SlotTable(cache, false);
        SlotTable.Placement p = run(table, new int[] {1, 2, 3});
        assertThat(table.state(p.slot())).isEqualTo(SlotTable.State.FREE);
        assertThat(cache.length(p.slot())).isZero();
        assertThat(table.acquireFor(new int[] {1, 2, 3, 4}).reusedTokens()).isZero();
    }

    @Test
    void acquireFor_copiesFromALiveSequence_withoutDisturbingIt() {
        SlotTable table = new SlotTable(cache, true);
        int[] system = {1, 2, 3, 4, 5, 6};
        SlotTable.Placement live = table.acquireFor(system);
        Batch b = Batch.ofSequence(system, 0, false);
        model.forward(new Batch(b.tokens(), b.positions(), filled(system.length, live.slot()), b.wantLogits()), cache, logits);
        table.appended(live.slot(), system, 0, system.length);
        SlotTable.Placement next = table.acquireFor(new int[] {1, 2, 3, 4, 5, 6, 7, 8});
        assertThat(next.slot()).isNotEqualTo(live.slot());
        assertThat(next.reusedTokens()).isEqualTo(6);
        assertThat(table.state(live.slot())).isEqualTo(SlotTable.State.ACTIVE);
        assertThat(cache.length(live.slot())).isEqualTo(6);
        assertThat(table.activeSlots()).isEqualTo(2);
    }
}
