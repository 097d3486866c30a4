package r1j.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RequestQueueTest {

    private final StatsRecorder stats = new StatsRecorder();

    private static RequestState request() {
        GenerationRequest r = GenerationRequest.tokens(1, 2, 3);
        GenerationHandle h = new GenerationHandle(new int[] {1, 2, 3}, 1, false, GenerationListener.none(), () -> { });
        return new RequestState(r, h, new int[] {1, 2, 3}, false, 0, 0);
    }

    @Test
    void offer_beyondTheLimitAndTheFreeSlots_throwsQueueFull() {
        RequestQueue q = new RequestQueue(1, stats);
        q.offer(request(), 0);
        assertThatThrownBy(() -> q.offer(request(), 0)).isInstanceOf(QueueFullException.class)
                .hasMessageContaining("queue is full (1 waiting)");
        assertThat(q.depth()).isEqualTo(1);
    }

    @Test
    void offer_countsFreeSlotsOnTopOfTheLimit_soAQueueOfZeroStillAdmitsIntoAFreeSlot() {
        RequestQueue q = new RequestQueue(0, stats);
        q.offer(request(), 2);
        q.offer(request(), 2);
        assertThatThrownBy(() -> q.offer(request(), 2)).isInstanceOf(QueueFullException.class);
    }

    @Test
    void poll_takesInArrivalOrder_andFreesRoom() {
        RequestQueue q = new RequestQueue(1, stats);
        RequestState a = request();
        RequestState b = request();
        q.offer(a, 1);
        q.offer(b, 1);
        assertThat(q.peek()).isSameAs(a);
        assertThat(q.poll()).isSameAs(a);
        assertThat(q.depth()).isEqualTo(1);
        assertThatThrownBy(() -> q.offer(request(), 0)).isInstanceOf(QueueFullException.class);
        assertThat(q.poll()).isSameAs(b);
        q.offer(request(), 0); // room again once b left the queue
        assertThat(q.depth()).isEqualTo(1);
    }

    @Test
    void offer_afterClose_throwsEngineClosed() {
        RequestQueue q = new RequestQueue(4, stats);
        q.close();
        assertThatThrownBy(() -> q.offer(request(), 4)).isInstanceOf(EngineClosedException.class);
    }
}
