package r1j.server;

import java.io.IOException;
import java.io.OutputStream;
import r1j.engine.Usage;

/**
 * An {@link Exchange} that counts its response in the metrics at the moment the status is sent, and remembers what
 * the request log needs (status, token counts). Counting before the response is committed matters: a client that
 * reads {@code /metrics} right after its answer must see its own request counted.
 */
final class ObservedExchange implements Exchange {

    /** Status of a request whose client left before any response (nginx's convention). */
    static final int CLIENT_CLOSED = 499;

    private final Exchange ex;
    private final String route;
    private final Metrics metrics;
    private int status;
    private Usage usage;

    ObservedExchange(Exchange ex, String route, Metrics metrics) {
        this.ex = ex;
        this.route = route;
        this.metrics = metrics;
    }

    @Override
    public String method() {
        return ex.method();
    }

    @Override
    public String path() {
        return ex.path();
    }

    @Override
    public String header(String name) {
        return ex.header(name);
    }

    @Override
    public byte[] body() {
        return ex.body();
    }

    @Override
    public void respond(int status, String contentType, byte[] body, String... extraHeaders) throws IOException {
        committed(status);
        ex.respond(status, contentType, body, extraHeaders);
    }

    @Override
    public OutputStream stream(int status, String contentType, String... extraHeaders) throws IOException {
        committed(status);
        return ex.stream(status, contentType, extraHeaders);
    }

    /** The request's token counts, for the log line; null when it generated nothing. */
    void usage(Usage u) {
        this.usage = u;
    }

    Usage usage() {
        return usage;
    }

    /** The status sent, or {@link #CLIENT_CLOSED} (counted now) when nothing was. */
    int finish() {
        if (status == 0) {
            committed(CLIENT_CLOSED);
        }
        return status;
    }

    private void committed(int s) {
        if (status == 0) {
            status = s;
            metrics.request(route, s);
        }
    }
}
