package r1j.server;

import java.io.IOException;
import java.io.OutputStream;

/**
 * An exchange that counts its request in {@link Metrics} at the moment the response status is committed, just before
 * it is sent: a client that has its answer and then reads {@code /metrics} must find the request counted, which
 * counting after the handler returned could not promise. A request that got no response at all (the client left
 * first) is counted by {@link #countIfUnanswered} with the status the handler settled on (499).
 */
final class CountedExchange implements Exchange {

    private final Exchange delegate;
    private final String route;
    private final Metrics metrics;
    private boolean counted; // only the request's own thread touches it

    CountedExchange(Exchange delegate, String route, Metrics metrics) {
        this.delegate = delegate;
        this.route = route;
        this.metrics = metrics;
    }

    @Override
    public String method() {
        return delegate.method();
    }

    @Override
    public String path() {
        return delegate.path();
    }

    @Override
    public String header(String name) {
        return delegate.header(name);
    }

    @Override
    public byte[] body() {
        return delegate.body();
    }

    @Override
    public void respond(int status, String contentType, byte[] body, String... extraHeaders) throws IOException {
        count(status);
        delegate.respond(status, contentType, body, extraHeaders);
    }

    @Override
    public OutputStream stream(int status, String contentType, String... extraHeaders) throws IOException {
        count(status);
        return delegate.stream(status, contentType, extraHeaders);
    }

    /** Counts the request with {@code status} unless a response was already started (and counted). */
    void countIfUnanswered(int status) {
        count(status);
    }

    private void count(int status) {
        if (!counted) {
            counted = true;
            metrics.request(route, status);
        }
    }
}
