package r1j.server;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Server-sent events as the OpenAI API frames them: each event is one {@code data: <json>\n\n} and the stream ends
 * with {@code data: [DONE]\n\n}. Every event is flushed at once so tokens reach the client as they are made. A write
 * to a client that went away throws {@link IOException}, which is how a disconnect is noticed.
 */
final class SseWriter implements StreamSession.EventSink {

    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;

    SseWriter(OutputStream out) {
        this.out = out;
    }

    /** One {@code data:} event; {@code json} must be one line (Jackson's compact output is). */
    @Override
    public void data(String json) throws IOException {
        assert json.indexOf('\n') < 0 : "an SSE data line must not contain a newline";
        out.write(("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** A comment line clients ignore; keeps idle proxies open and detects a client that went away. */
    void comment(String text) throws IOException {
        out.write((": " + text + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void keepAlive() throws IOException {
        comment("keep-alive");
    }

    /** The terminating {@code data: [DONE]} event. */
    @Override
    public void done() throws IOException {
        out.write(DONE);
        out.flush();
    }
}
