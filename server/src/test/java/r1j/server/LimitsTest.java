package r1j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import r1j.engine.EngineStats;
import r1j.engine.FinishReason;

/**
 * Abuse over raw sockets: slow senders, many idle connections, clients that leave mid-stream, a burst larger than
 * slots plus queue. Nothing may crash or leak: KV slots and the queue return to empty, and every refused request gets
 * its status.
 */
class LimitsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServers servers;

    /** A ceiling on waits for a condition, far above what it takes on a loaded 2-core machine. */
    private static final long WAIT_MILLIS = 120_000;

    /** A request that would run for thousands of steps: only a disconnect or the test ends it early. */
    private static final String LONG_STREAM = """
            {"messages":[{"role":"user","content":"Tell me everything."}],"stream":true,"max_tokens":4000,
             "ignore_eos":true,"temperature":0.7}""";

    @BeforeAll
    static void start() {
        servers = TestServers.start(TestServers.options().withContextSize(4096), TestServers.config());
    }

    @AfterAll
    static void stop() {
        servers.close();
    }

    private static Socket open() throws IOException {
        Socket s = new Socket("127.0.0.1", servers.server().port());
        s.setSoTimeout(20_000);
        return s;
    }

    private static void writeRequest(Socket s, String path, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        OutputStream out = s.getOutputStream();
        out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TestServers.KEY
                + "\r\nContent-Type: application/json\r\nContent-Length: " + b.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(b);
        out.flush();
    }

    /** Reads until {@code marker} has been seen; returns what was read. */
    private static String readUntil(InputStream in, String marker) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            seen.write(c);
            if (seen.toString(StandardCharsets.UTF_8).endsWith(marker)) {
                break;
            }
        }
        return seen.toString(StandardCharsets.UTF_8);
    }

    private static int status(String head) {
        return Integer.parseInt(head.substring(9, 12));
    }

    /** Waits up to {@code millis} for {@code condition}; fails naming {@code what}, or returns quietly when null. */
    private static void awaitTrue(BooleanSupplier condition, long millis, String what) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                if (what == null) {
                    return;
                }
                throw new AssertionError("timed out waiting for " + what + "; engine " + servers.engine().stats());
            }
            Thread.sleep(5);
        }
    }

    private static void awaitIdleEngine() throws InterruptedException {
        awaitTrue(() -> {
            EngineStats s = servers.engine().stats();
            return s.slotsInUse() == 0 && s.liveSequences() == 0 && s.queueDepth() == 0;
        }, WAIT_MILLIS, "all KV slots free and the queue empty");
    }

    @Test
    void disconnectMidStream_cancelsTheRequestAndFreesItsSlot() throws Exception {
        awaitIdleEngine();
        AtomicLong cancelled = new AtomicLong();
        servers.engine().addStatsListener((reason, usage) -> {
            if (reason == FinishReason.CANCELLED) {
                cancelled.incrementAndGet();
            }
        });
        long tokensBefore = servers.engine().stats().completionTokens();
        // The gate holds the engine between steps, so the stream cannot run to its end (the tiny model writes its
        // 4000 tokens in a moment) before the client has seen it start and left: the request must end cancelled.
        try (StepGate gate = StepGate.shut(servers.engine(), 3000);
             ExecutorService reader = Executors.newVirtualThreadPerTaskExecutor()) {
            LongSupplier streamTokens = () -> servers.engine().stats().completionTokens() - tokensBefore - gate.tokens();
            Socket s = open();
            writeRequest(s, "/v1/chat/completions", LONG_STREAM);
            Future<String> head = reader.submit(() -> readUntil(s.getInputStream(), "reasoning_content\":\""));
            awaitTrue(() -> servers.engine().stats().queueDepth() == 1, WAIT_MILLIS, "the stream queued");
            while (streamTokens.getAsLong() < 8) {
                gate.step(); // admit it, prefill, and a few tokens of reasoning
            }
            assertThat(status(head.get())).isEqualTo(200);
            long cancelledBefore = cancelled.get();
            assertThat(servers.engine().stats().slotsInUse()).as("the stream and the gate hold a slot each").isEqualTo(2);
            s.setSoLinger(true, 0); // close with a reset, as a killed client does
            s.close();
            // Step by step, so the stream's writer meets the closed socket long before 4000 tokens are out.
            while (cancelled.get() == cancelledBefore) {
                gate.step();
                awaitTrue(() -> cancelled.get() > cancelledBefore || servers.engine().stats().slotsInUse() < 2,
                        10, null);
            }
            assertThat(streamTokens.getAsLong()).as("the stream was cut short").isLessThan(4000);
        }
        awaitIdleEngine();
    }

    /** Choices the engine cancelled so far, from the server's own Prometheus text. */
    private static double cancelledChoices() throws Exception {
        String series = "r1j_choices_finished_total{reason=\"cancelled\"} ";
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(servers.baseUrl() + "/metrics"))
                        .header("Authorization", "Bearer " + TestServers.KEY).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return r.body().lines().filter(l -> l.startsWith(series))
                .mapToDouble(l -> Double.parseDouble(l.substring(series.length()).trim())).findFirst().orElse(0);
    }

    @Test
    void disconnectMidOllamaStream_cancelsTheRequestAndFreesItsSlot() throws Exception {
        double cancelledBefore = cancelledChoices();
        try (Socket s = open()) {
            // Greedy, so the same long thought every run; 4000 tokens: only the disconnect ends it early.
            writeRequest(s, "/api/chat", """
                    {"model":"m","messages":[{"role":"user","content":"Tell me everything."}],
                     "options":{"num_predict":4000,"temperature":0}}""");
            String head = readUntil(s.getInputStream(), "\"thinking\":\"");
            assertThat(status(head)).isEqualTo(200);
            assertThat(head).containsIgnoringCase("Content-Type: application/x-ndjson");
            assertThat(servers.engine().stats().slotsInUse()).isEqualTo(1);
        }
        awaitIdleEngine();
        assertThat(cancelledChoices()).isEqualTo(cancelledBefore + 1);
    }

    @Test
    void burstOf50_withFourSlotsAndQueueOf8_rejectsTheRestWith429_andLeaksNothing() throws Exception {
        int burst = 50;
        List<Socket> sockets = new ArrayList<>();
        awaitIdleEngine();
        // The gate holds the engine (and one slot) while the burst arrives, so no stream can finish and make room
        // meanwhile: exactly 3 + 8 get in, whatever the machine's load; the other 39 are refused.
        try (StepGate gate = StepGate.shut(servers.engine(), 3000);
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> heads = new ArrayList<>();
            for (int i = 0; i < burst; i++) {
                Socket s = open();
                sockets.add(s);
                // Written at once on this thread: the server's request timer runs from the connect, and a loaded
                // machine may start a virtual thread late.
                writeRequest(s, "/v1/chat/completions", LONG_STREAM);
                heads.add(pool.submit(() -> {
                    String head = readUntil(s.getInputStream(), "\r\n\r\n");
                    if (status(head) != 200) {
                        // Fixed-length error body after the headers.
                        int len = Integer.parseInt(head.replaceAll("(?s).*[Cc]ontent-[Ll]ength: (\\d+).*", "$1"));
                        head += new String(s.getInputStream().readNBytes(len), StandardCharsets.UTF_8);
                    }
                    return head;
                }));
            }
            int ok = 0;
            int rejected = 0;
            for (Future<String> f : heads) {
                String head = f.get();
                int status = status(head);
                assertThat(status).as(head).isIn(200, 429);
                if (status == 200) {
                    ok++;
                } else {
                    rejected++;
                    assertThat(head).containsIgnoringCase("Retry-After: 1");
                    String body = head.substring(head.indexOf("\r\n\r\n") + 4);
                    assertThat(JSON.readTree(body).path("error").path("code").asText()).isEqualTo("queue_full");
                }
            }
            assertThat(ok + rejected).isEqualTo(burst);
            // The queue takes 8 waiting requests beyond the free slots (4, less the gate's): 3 + 8 get in.
            assertThat(ok).as("free slots + the queue's 8").isEqualTo(3 + 8);
            assertThat(servers.engine().stats().queueDepth()).isEqualTo(3 + 8);
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
        awaitIdleEngine();
        // And the server still answers.
        assertThat(RawHttpTestSupport.chat(servers, 3)).isEqualTo(200);
    }

    @Test
    void slowClient_doesNotBlockOthers_andIsCutAfterTheRequestTimeout() throws Exception {
        try (Socket slow = open()) {
            slow.setSoTimeout(120_000);
            OutputStream out = slow.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{\"messages\":")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // Others are served while the slow one dawdles.
            assertThat(RawHttpTestSupport.chat(servers, 3)).isEqualTo(200);
            int read; // the socket's read timeout (120 s) is far above the server's request timeout
            try {
                read = slow.getInputStream().read();
            } catch (SocketException reset) {
                read = -1;
            }
            assertThat(read).as("the server closes the connection").isEqualTo(-1);
        }
    }

    @Test
    void tricklingBody_isCutAtTheRequestTimeout_thoughBytesKeepComing() throws Exception {
        // One byte every 300 ms never leaves the connection idle, so only the whole-body deadline (3 s here) ends it.
        try (Socket slow = open(); ExecutorService reader = Executors.newVirtualThreadPerTaskExecutor()) {
            OutputStream out = slow.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestServers.KEY
                    + "\r\nContent-Length: 500\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Future<Integer> closed = reader.submit(() -> {
                try {
                    return slow.getInputStream().read();
                } catch (SocketException reset) {
                    return -1;
                }
            });
            int sent = 0;
            try {
                while (!closed.isDone() && sent < 200) {
                    out.write(' ');
                    out.flush();
                    sent++;
                    Thread.sleep(300); // pacing the sender, not waiting for the server
                }
            } catch (SocketException brokenPipe) {
                // The server closed the connection under the writer.
            }
            assertThat(closed.get()).as("the server closes the connection").isEqualTo(-1);
            assertThat(sent).as("bytes sent before the cut, of the 500 declared").isLessThan(200);
        }
        assertThat(RawHttpTestSupport.chat(servers, 3)).isEqualTo(200);
    }

    @Test
    void twoHundredIdleConnections_doNotStopService() throws Exception {
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                idle.add(open());
            }
            assertThat(RawHttpTestSupport.chat(servers, 3)).isEqualTo(200);
            assertThat(RawHttpTestSupport.chat(servers, 3)).isEqualTo(200);
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
        assertThat(RawHttpTestSupport.chat(servers, 3)).isEqualTo(200);
    }

    @Test
    void longNonStreamedAnswer_isNotCutByTheIdleTimeout() throws Exception {
        // A one-second idle timeout, and an answer of 1500 tokens that takes longer than that to generate while the
        // connection carries nothing: the server is busy, not idle, so the client still gets its whole answer.
        try (TestServers busy = TestServers.start(TestServers.options().withContextSize(2048),
                TestServers.config().withIdleTimeout(java.time.Duration.ofSeconds(1)))) {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(busy.baseUrl() + "/v1/chat/completions"))
                            .header("Authorization", "Bearer " + TestServers.KEY)
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("""
                                    {"messages":[{"role":"user","content":"Go on."}],"max_tokens":1500,"ignore_eos":true}"""))
                            .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(r.body()).path("usage").path("completion_tokens").asInt()).isEqualTo(1500);
        }
    }

    @Test
    void oversizedDeclaredLength_is413WithoutReadingTheBody() throws Exception {
        try (Socket s = open()) {
            s.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + TestServers.KEY + "\r\nContent-Length: 1000000000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            String head = readUntil(s.getInputStream(), "\r\n\r\n");
            assertThat(status(head)).isEqualTo(413);
        }
        assertThat(RawHttpTestSupport.chat(servers, 3)).isEqualTo(200);
    }

    @Test
    void oversizedBodyAlreadySent_stillGets413_notAReset() throws Exception {
        // The client sends the whole too-large body before it reads (as every HTTP client does), the second half a
        // moment after the first. Had the server closed after the first half, the second would meet a closed socket,
        // the kernel would answer with a reset, and the client would lose the 413 waiting in its buffer.
        byte[] body = ("{\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(200_000) + "\"}]}")
                .getBytes(StandardCharsets.US_ASCII);
        for (boolean declared : new boolean[] {true, false}) {
            try (Socket s = open()) {
                String head = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestServers.KEY
                        + (declared ? "\r\nContent-Length: " + body.length : "\r\nTransfer-Encoding: chunked") + "\r\n\r\n";
                var out = s.getOutputStream();
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                int half = body.length / 2;
                if (!declared) {
                    out.write((Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                }
                out.write(body, 0, half);
                out.flush();
                Thread.sleep(300);
                out.write(body, half, body.length - half);
                if (!declared) {
                    out.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
                Thread.sleep(300); // the server has answered and closed by now
                String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(status(answer)).as("declared length: %s", declared).isEqualTo(413);
                assertThat(answer).contains("request_too_large");
            }
        }
        assertThat(RawHttpTestSupport.chat(servers, 3)).isEqualTo(200);
    }
}
