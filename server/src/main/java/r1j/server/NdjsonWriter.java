package r1j.server;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Newline-delimited JSON as Ollama streams it: one JSON object a line, flushed at once, nothing after the last one
 * (its {@code "done": true} ends the stream). NDJSON has no comment line, so there is no keep-alive: a client that
 * leaves while its request waits in the queue is noticed at the first token.
 */
final class NdjsonWriter implements StreamSession.EventSink {

    private final OutputStream out;

    NdjsonWriter(OutputStream out) {
        this.out = out;
    }

    @Override
    public void data(String json) throws IOException {
        assert json.indexOf('\n') < 0 : "an NDJSON line must not contain a newline";
        out.write((json + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void keepAlive() {
        // Nothing to send: a blank line is not valid NDJSON for Ollama's clients.
    }

    @Override
    public void done() {
        // The last object carried "done": true.
    }
}
