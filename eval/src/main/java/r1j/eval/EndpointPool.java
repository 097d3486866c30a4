package r1j.eval;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Several OpenAI-compatible endpoints serving the same model as one {@link Backend}: each sample goes to the endpoint
 * with the least outstanding work; when an endpoint fails (connection refused or broken, timeout, 429, 5xx) it is
 * taken out for a cool-down and the sample is retried on the next best endpoint. After the cool-down the endpoint
 * gets one sample again (the probe): success puts it back in, failure doubles its cool-down (up to a minute). A
 * request an endpoint rejects for what it is (a 4xx other than 429) fails at once: another endpoint would reject it too.
 *
 * <p>Each sample returns exactly one generation or one exception, so the run scores every sample once whichever
 * endpoints it passed through.
 */
public final class EndpointPool implements Backend {

    /** Longest an endpoint stays out between probes. */
    static final Duration MAX_COOL_DOWN = Duration.ofMinutes(1);

    private final List<Member> members;
    private final Duration coolDown;
    private final int rounds;
    private final LongSupplier nanoClock;

    private static final class Member {
        final Backend backend;
        final String name;
        final AtomicInteger outstanding = new AtomicInteger();
        long outUntil;          // nanoClock time the endpoint may be tried again; guarded by the pool
        long currentCoolDown;   // nanos
        boolean probing;        // one sample is testing it after a cool-down

        Member(Backend backend, String name) {
            this.backend = backend;
            this.name = name;
        }
    }

    /**
     * @param endpoints one backend per endpoint (each should fail fast: one attempt; the pool does the retrying)
     * @param names     how errors name them (their URLs)
     * @param coolDown  first time out after a failure
     * @param rounds    how many times a sample may go round the whole pool before it fails
     */
    public EndpointPool(List<? extends Backend> endpoints, List<String> names, Duration coolDown, int rounds, LongSupplier nanoClock) {
        if (endpoints.isEmpty()) throw new IllegalArgumentException("an endpoint pool needs at least one endpoint");
        if (endpoints.size() != names.size()) throw new IllegalArgumentException("one name per endpoint");
        if (rounds < 1) throw new IllegalArgumentException("rounds %d must be at least 1".formatted(rounds));
        this.members = new ArrayList<>();
        for (int i = 0; i < endpoints.size(); i++) members.add(new Member(endpoints.get(i), names.get(i)));
        this.coolDown = coolDown;
        this.rounds = rounds;
        this.nanoClock = nanoClock;
    }

    /** A pool over OpenAI-compatible URLs, each tried once per pick, out for 5 s after a failure, 3 rounds. */
    public static EndpointPool of(List<String> urls, String apiKey, String model, Duration timeout) {
        List<Backend> backends = new ArrayList<>();
        for (String u : urls) backends.add(new OpenAiEndpoint(u, apiKey, model, timeout, 1, Duration.ZERO));
        return new EndpointPool(backends, urls, Duration.ofSeconds(5), 3, System::nanoTime);
    }

    @Override
    public String modelName() {
        return members.getFirst().backend.modelName();
    }

    @Override
    public Generation generate(Request request) throws IOException, InterruptedException {
        IOException last = null;
        int failures = 0, limit = rounds * members.size();
        while (failures < limit) {
            Member m = pick();
            if (m == null) { // every endpoint is cooling down: wait for the first to come back
                Thread.sleep(Math.max(1, untilNextNanos() / 1_000_000));
                continue;
            }
            try {
                Generation g = m.backend.generate(request);
                succeeded(m);
                return g;
            } catch (OpenAiEndpoint.Rejected e) {
                released(m);
                throw e;
            } catch (IOException e) {
                failed(m);
                last = e;
                failures++;
            }
        }
        throw new IOException("every endpoint failed (%d tries over %d endpoints); last: %s"
                .formatted(failures, members.size(), last.getMessage()), last);
    }

    /** The available endpoint with the least outstanding work (its count taken), or null if all are out. */
    private synchronized Member pick() {
        long now = nanoClock.getAsLong();
        Member best = null;
        for (Member m : members) {
            boolean out = m.currentCoolDown > 0 && (now < m.outUntil || m.probing);
            if (out) continue;
            if (best == null || m.outstanding.get() < best.outstanding.get()) best = m;
        }
        if (best != null) {
            if (best.currentCoolDown > 0) best.probing = true; // back from a cool-down: this sample is its probe
            best.outstanding.incrementAndGet();
        }
        return best;
    }

    private synchronized long untilNextNanos() {
        long now = nanoClock.getAsLong(), next = Long.MAX_VALUE;
        for (Member m : members) if (!m.probing) next = Math.min(next, m.outUntil - now);
        return next == Long.MAX_VALUE ? coolDown.toNanos() : Math.max(0, next);
    }

    private synchronized void succeeded(Member m) {
        m.outstanding.decrementAndGet();
        m.currentCoolDown = 0;
        m.probing = false;
    }

    private synchronized void released(Member m) {
        m.outstanding.decrementAndGet();
        m.probing = false;
    }

    private synchronized void failed(Member m) {
        m.outstanding.decrementAndGet();
        m.probing = false;
        m.currentCoolDown = m.currentCoolDown == 0 ? coolDown.toNanos() : Math.min(2 * m.currentCoolDown, MAX_COOL_DOWN.toNanos());
        m.outUntil = nanoClock.getAsLong() + m.currentCoolDown;
    }

    /** Outstanding samples per endpoint, in the order given (tests, progress). */
    public synchronized List<Integer> outstanding() {
        return members.stream().map(m -> m.outstanding.get()).toList();
    }

    @Override
    public void close() {
        for (Member m : members) m.backend.close();
    }
}
