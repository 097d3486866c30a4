package r1j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The pool's choices, with endpoints whose behaviour each test scripts and a clock the test moves. */
class EndpointPoolTest {

    private static final Backend.Request REQ = new Backend.Request("What is 1+1?", 0f, 1f, 16, 1);
    private final AtomicLong now = new AtomicLong();

    /** An endpoint that answers with its own name, or fails while {@code down} is set. */
    private static final class Scripted implements Backend {
        final String name;
        volatile boolean down;
        volatile boolean reject;
        volatile CountDownLatch hold;
        final AtomicInteger served = new AtomicInteger(), tried = new AtomicInteger();

        Scripted(String name) { this.name = name; }

        @Override public String modelName() { return "m"; }

        @Override
        public Generation generate(Request r) throws IOException, InterruptedException {
            tried.incrementAndGet();
            if (reject) throw new OpenAiEndpoint.Rejected("HTTP 400 from " + name);
            if (down) throw new IOException("cannot connect to " + name);
            if (hold != null) hold.await();
            served.incrementAndGet();
            return new Generation("", name, 1, "stop");
        }

        @Override public void close() { }
    }

    private EndpointPool pool(Scripted... s) {
        return new EndpointPool(List.of(s), List.of(s).stream().map(x -> x.name).toList(), Duration.ofSeconds(5), 2, now::get);
    }

    @Test
    void picksTheEndpointWithTheLeastOutstandingWork() throws Exception {
        Scripted a = new Scripted("a"), b = new Scripted("b");
        a.hold = new CountDownLatch(1);
        EndpointPool p = pool(a, b);
        Thread busy = Thread.ofVirtual().start(() -> { try { p.generate(REQ); } catch (Exception e) { throw new RuntimeException(e); } });
        while (a.tried.get() == 0) Thread.onSpinWait();
        assertThat(p.outstanding()).containsExactly(1, 0);
        assertThat(p.generate(REQ).answer()).isEqualTo("b");
        a.hold.countDown();
        busy.join();
        assertThat(p.outstanding()).containsExactly(0, 0);
    }

    @Test
    void aFailingEndpoint_isTakenOut_itsSampleRetriedElsewhere_andProbedBackInAfterTheCoolDown() throws Exception {
        Scripted a = new Scripted("a"), b = new Scripted("b");
        a.down = true;
        EndpointPool p = pool(a, b);
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 4; i++) answers.add(p.generate(REQ).answer());
        assertThat(answers).containsOnly("b");
        assertThat(a.tried.get()).as("tried once, then out").isEqualTo(1);

        a.down = false;
        now.addAndGet(Duration.ofSeconds(6).toNanos());
        assertThat(p.generate(REQ).answer()).as("the probe after the cool-down").isEqualTo("a");
        assertThat(List.of(p.generate(REQ).answer(), p.generate(REQ).answer())).contains("a");
    }

    @Test
    void aProbeThatFails_doublesTheCoolDown() throws Exception {
        Scripted a = new Scripted("a"), b = new Scripted("b");
        a.down = true;
        EndpointPool p = pool(a, b);
        p.generate(REQ);                                    // a fails: out for 5 s
        now.addAndGet(Duration.ofSeconds(6).toNanos());
        p.generate(REQ);                                    // probe fails: out for 10 s
        assertThat(a.tried.get()).isEqualTo(2);
        now.addAndGet(Duration.ofSeconds(6).toNanos());
        p.generate(REQ);
        assertThat(a.tried.get()).as("still cooling down").isEqualTo(2);
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        p.generate(REQ);
        assertThat(a.tried.get()).isEqualTo(3);
    }

    @Test
    void aRejectedRequest_failsAtOnce_withoutTryingTheOthers() {
        Scripted a = new Scripted("a"), b = new Scripted("b");
        a.reject = true;
        b.reject = true;
        EndpointPool p = pool(a, b);
        assertThatThrownBy(() -> p.generate(REQ)).hasMessageContaining("HTTP 400");
        assertThat(a.tried.get() + b.tried.get()).isEqualTo(1);
    }

    @Test
    void whenEveryEndpointFailsEveryRound_theSampleFailsNamingTheLastError() {
        Scripted a = new Scripted("a"), b = new Scripted("b");
        a.down = true;
        b.down = true;
        EndpointPool p = new EndpointPool(List.of(a, b), List.of("a", "b"), Duration.ofMillis(1), 2, System::nanoTime);
        assertThatThrownBy(() -> p.generate(REQ)).hasMessageContaining("every endpoint failed (4 tries over 2 endpoints)");
    }
}
