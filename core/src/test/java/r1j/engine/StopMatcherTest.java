package r1j.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StopMatcherTest {

    @Test
    void accept_withoutStops_passesTextThrough() {
        StopMatcher m = new StopMatcher(List.of());
        assertThat(m.accept("hello")).isEqualTo("hello");
        assertThat(m.flush()).isEmpty();
        assertThat(m.stopped()).isFalse();
    }

    @Test
    void accept_holdsBackPossibleStopPrefixUntilDecided() {
        StopMatcher m = new StopMatcher(List.of("END"));
        assertThat(m.accept("abc E")).isEqualTo("abc ");
        assertThat(m.accept("x")).isEqualTo("Ex");
        assertThat(m.stopped()).isFalse();
    }

    @Test
    void accept_findsStopSplitAcrossPieces_andDropsIt() {
        StopMatcher m = new StopMatcher(List.of("END"));
        assertThat(m.accept("result: 4 E")).isEqualTo("result: 4 ");
        assertThat(m.accept("N")).isEmpty();
        assertThat(m.accept("D and more")).isEmpty();
        assertThat(m.stopped()).isTrue();
        assertThat(m.accept("ignored")).isEmpty();
        assertThat(m.flush()).isEmpty();
    }

    @Test
    void accept_earliestOfSeveralStopsWins() {
        StopMatcher m = new StopMatcher(List.of("world", "lo"));
        assertThat(m.accept("hello world")).isEqualTo("hel");
        assertThat(m.stopped()).isTrue();
    }

    @Test
    void flush_releasesHeldBackTextWhenNoStopCame() {
        StopMatcher m = new StopMatcher(List.of("\n\nUser:"));
        assertThat(m.accept("done\n")).isEqualTo("done");
        assertThat(m.accept("\nUs")).isEmpty();
        assertThat(m.flush()).isEqualTo("\n\nUs");
    }

    @Test
    void accept_stopAtVeryStart_emitsNothing() {
        StopMatcher m = new StopMatcher(List.of("###"));
        assertThat(m.accept("###tail")).isEmpty();
        assertThat(m.stopped()).isTrue();
    }

    @Test
    void constructor_rejectsEmptyStopString() {
        assertThatThrownBy(() -> new StopMatcher(List.of("")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
    }
}
