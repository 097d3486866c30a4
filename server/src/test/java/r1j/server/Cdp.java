package r1j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headless Chromium driven over the Chrome DevTools Protocol (a WebSocket of JSON commands), with nothing but the
 * JDK: start the browser, open a page, evaluate JavaScript, take a screenshot.
 */
final class Cdp implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://\\S+)");

    private final Process browser;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    private Cdp(Process browser, WebSocket socket) {
        this.browser = browser;
        this.socket = socket;
    }

    /** The Chromium binary on the PATH; fails loudly with the install command when there is none. */
    static String chromium() {
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p.toString();
                }
            }
        }
        throw new AssertionError("Chromium is not installed; the web page test needs it: apt-get install -y chromium");
    }

    /** Starts headless Chromium with a fresh profile in {@code profile} and attaches to its first page. */
    static Cdp launch(Path profile) throws Exception {
        Process p = new ProcessBuilder(chromium(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--disable-crash-reporter", "--no-first-run", "--remote-debugging-port=0", "--window-size=1100,800",
                "--user-data-dir=" + profile, "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String browserWs = null;
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        String line;
        while (browserWs == null && System.nanoTime() < end && (line = err.readLine()) != null) {
            Matcher m = DEVTOOLS.matcher(line);
            if (m.find()) {
                browserWs = m.group(1);
            }
        }
        if (browserWs == null) {
            p.destroyForcibly();
            throw new AssertionError("Chromium did not report its DevTools address");
        }
        Thread.ofVirtual().start(() -> drain(err));
        URI ws = URI.create(browserWs);
        HttpClient http = HttpClient.newHttpClient();
        String list = http.send(HttpRequest.newBuilder(URI.create("http://" + ws.getAuthority() + "/json/list")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        String pageWs = null;
        for (JsonNode t : JSON.readTree(list)) {
            if ("page".equals(t.path("type").asText())) {
                pageWs = t.path("webSocketDebuggerUrl").asText();
                break;
            }
        }
        if (pageWs == null) {
            p.destroyForcibly();
            throw new AssertionError("Chromium has no page target: " + list);
        }
        Cdp[] self = new Cdp[1];
        StringBuilder partial = new StringBuilder();
        WebSocket socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(60))
                .buildAsync(URI.create(pageWs), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            String message = partial.toString();
                            partial.setLength(0);
                            self[0].dispatch(message);
                        }
                        w.request(1);
                        return null;
                    }
                }).get(60, TimeUnit.SECONDS);
        self[0] = new Cdp(p, socket);
        return self[0];
    }

    private static void drain(BufferedReader r) {
        try {
            while (r.readLine() != null) {
                // Chromium's log lines; read so its pipe never fills.
            }
        } catch (IOException ignored) {
            // The browser exited.
        }
    }

    private void dispatch(String message) {
        try {
            JsonNode m = JSON.readTree(message);
            if (m.has("id")) {
                CompletableFuture<JsonNode> f = pending.remove(m.get("id").asInt());
                if (f != null) {
                    f.complete(m);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("bad DevTools message", e);
        }
    }

    /** Sends a command and waits for its result. */
    JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        msg.set("params", params == null ? JSON.createObjectNode() : params);
        socket.sendText(msg.toString(), true).get(60, TimeUnit.SECONDS);
        JsonNode r = f.get(120, TimeUnit.SECONDS);
        if (r.has("error")) {
            throw new AssertionError(method + " failed: " + r.get("error"));
        }
        return r.path("result");
    }

    void navigate(String url) throws Exception {
        call("Page.enable", null);
        call("Page.navigate", JSON.createObjectNode().put("url", url));
    }

    /** Evaluates a JavaScript expression in the page and returns its value as JSON. */
    JsonNode eval(String expression) throws Exception {
        JsonNode r = call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
                .put("returnByValue", true).put("awaitPromise", true));
        if (r.has("exceptionDetails")) {
            throw new AssertionError("JavaScript failed: " + r.get("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    /** A PNG of the viewport. */
    byte[] screenshot() throws Exception {
        String data = call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png")).path("data").asText();
        return java.util.Base64.getDecoder().decode(data);
    }

    /**
     * Ends Chromium and every helper process it started (renderer, utility, crash handler), waiting until each has
     * exited: the helpers write into the profile after the browser process is gone, and a caller deleting the
     * profile then found a directory still being filled (DirectoryNotEmptyException in a CI run).
     */
    @Override
    public void close() throws Exception {
        socket.abort();
        // listed before the browser ends: orphaned helpers are no longer its descendants
        List<ProcessHandle> helpers = browser.descendants().toList();
        browser.destroy();
        if (!browser.waitFor(10, TimeUnit.SECONDS)) {
            browser.destroyForcibly();
            browser.waitFor(10, TimeUnit.SECONDS);
        }
        for (ProcessHandle helper : helpers) {
            helper.destroy();
            try {
                helper.onExit().get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                helper.destroyForcibly();
                helper.onExit().get(10, TimeUnit.SECONDS);
            }
        }
    }
}
