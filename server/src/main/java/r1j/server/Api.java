package r1j.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import r1j.engine.Completion;
import r1j.engine.Engine;
import r1j.engine.FinishReason;
import r1j.engine.GenerationHandle;
import r1j.engine.GenerationRequest;
import r1j.engine.GenerationListener;
import r1j.engine.Usage;
import r1j.sample.SampledToken;

/**
 * Routes requests to the endpoints and answers them; knows nothing of the HTTP library ({@link Exchange}).
 * Every failure becomes an error response in the caller's protocol's shape (OpenAI's, or Ollama's under
 * {@code /api/}); nothing a client sends stops the server. Each request is counted in the metrics as its status is
 * sent and logged in one line when it ends (logger {@code r1j.server.access}).
 */
final class Api {

    private static final Logger LOG = LoggerFactory.getLogger(Api.class);
    private static final Logger ACCESS = LoggerFactory.getLogger("r1j.server.access");

    /** Static files of the web page: path → resource name and content type. */
    private static final Map<String, String[]> ASSETS = Map.of(
            "/", new String[] {"index.html", "text/html; charset=utf-8"},
            "/index.html", new String[] {"index.html", "text/html; charset=utf-8"},
            "/app.js", new String[] {"app.js", "text/javascript; charset=utf-8"},
            "/app.css", new String[] {"app.css", "text/css; charset=utf-8"},
            "/render.js", new String[] {"render.js", "text/javascript; charset=utf-8"});

    /** Names under {@code /vendor/}: a file, or a file in {@code fonts/}. */
    private static final java.util.regex.Pattern VENDOR_NAME =
            java.util.regex.Pattern.compile("(fonts/)?[A-Za-z0-9_-]+(\\.[A-Za-z0-9]+)+");

    private final Engine engine;
    private final ServerConfig config;
    private final Metrics metrics;
    private final Clock clock;
    private final ResponseShapes shapes;
    private final byte[] apiKey;
    private final OllamaApi ollama;
    private volatile boolean draining;

    Api(Engine engine, ServerConfig config, Metrics metrics, Clock clock) {
        this.engine = engine;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
        this.shapes = new ResponseShapes(engine.tokenizer(), config.modelId());
        this.apiKey = config.apiKey() == null ? null : config.apiKey().getBytes(StandardCharsets.UTF_8);
        this.ollama = new OllamaApi(this, engine, config.modelId(), clock);
    }

    /** From now on generation requests get 503 and {@code /health} says so. */
    void drain() {
        draining = true;
    }

    /** Answers one exchange; never throws. */
    void handle(Exchange raw) {
        long t0 = System.nanoTime();
        String route = routeName(raw.path());
        ObservedExchange ex = new ObservedExchange(raw, route, metrics);
        try {
            dispatch(ex);
        } catch (RuntimeException e) {
            ApiException api = ErrorBody.toApiException(e);
            if (api.status() >= 500) {
                LOG.warn("{} {} failed", ex.method(), ex.path(), e);
            }
            int status = api.status();
            byte[] body = ex.path().startsWith("/api/") ? ErrorBody.ollamaJson(api) : ErrorBody.json(api);
            try {
                ex.respond(status, "application/json", body,
                        status == 429 || status == 503 ? new String[] {"Retry-After", "1"} : new String[0]);
            } catch (IOException gone) {
                // The client left before its error; nothing to do.
            }
        } catch (IOException gone) {
            // The client closed the connection; finish() counts it as 499.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int status = ex.finish();
        Usage u = ex.usage();
        if (ACCESS.isInfoEnabled()) {
            ACCESS.info("{} {} {} {} {} ms", ex.method(), ex.path(), status,
                    u == null ? "-" : "tokens=" + u.promptTokens() + "+" + u.completionTokens(),
                    (System.nanoTime() - t0) / 1_000_000);
        }
    }

    private int dispatch(ObservedExchange ex) throws IOException, InterruptedException {
        String path = ex.path();
        String method = ex.method();
        if (path.startsWith("/api/")) {
            return ollama.dispatch(ex);
        }
        if (ASSETS.containsKey(path)) {
            requireMethod(method, "GET");
            return asset(ex, ASSETS.get(path));
        }
        if (path.startsWith("/vendor/")) {
            requireMethod(method, "GET");
            return vendorAsset(ex, path.substring("/vendor/".length()));
        }
        switch (path) {
            case "/health" -> {
                requireMethod(method, "GET");
                int status = draining ? 503 : 200;
                ex.respond(status, "application/json",
                        ("{\"status\":\"" + (draining ? "shutting_down" : "ok") + "\"}").getBytes(StandardCharsets.UTF_8));
                return status;
            }
            case "/ready" -> {
                requireMethod(method, "GET");
                String why = notReadyReason();
                int status = why == null ? 200 : 503;
                ex.respond(status, "application/json", ("{\"status\":\"" + (why == null ? "ready" : why) + "\"}")
                        .getBytes(StandardCharsets.UTF_8));
                return status;
            }
            case "/metrics" -> {
                requireMethod(method, "GET");
                authorize(ex);
                ex.respond(200, "text/plain; version=0.0.4; charset=utf-8",
                        metrics.scrape().getBytes(StandardCharsets.UTF_8));
                return 200;
            }
            case "/v1/models" -> {
                requireMethod(method, "GET");
                authorize(ex);
                ObjectNode root = ResponseShapes.JSON.createObjectNode();
                root.put("object", "list");
                ArrayNode data = root.putArray("data");
                data.add(modelObject());
                return json(ex, 200, root);
            }
            case "/v1/chat/completions" -> {
                requireMethod(method, "POST");
                authorize(ex);
                return chat(ex, ChatRequestParser.chat(ex.body()));
            }
            case "/v1/completions" -> {
                requireMethod(method, "POST");
                authorize(ex);
                return text(ex, ChatRequestParser.completion(ex.body()));
            }
            default -> {
                if (path.startsWith("/v1/models/")) {
                    requireMethod(method, "GET");
                    authorize(ex);
                    String id = path.substring("/v1/models/".length());
                    if (!id.equals(config.modelId())) {
                        throw new ApiException(404, "invalid_request_error", "model", "model_not_found",
                                "the model '" + id + "' does not exist; this server serves '" + config.modelId() + "'");
                    }
                    return json(ex, 200, modelObject());
                }
                throw new ApiException(404, "invalid_request_error", null, "not_found",
                        "no route " + method + " " + path + "; see /v1/chat/completions, /v1/completions, /v1/models");
            }
        }
    }

    private int chat(ObservedExchange ex, ParsedRequest req) throws IOException, InterruptedException {
        String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
        long created = clock.instant().getEpochSecond();
        if (!req.stream()) {
            Completion c = await(submitQuiet(req));
            ex.usage(c.usage());
            return json(ex, 200, shapes.chatCompletion(id, created, c, req.tools()));
        }
        StreamSession session = new StreamSession();
        GenerationHandle handle = submit(req, session);
        StreamSession.ChunkFormat format = new ChatChunkFormat(shapes, id, created, req.generation().n(), req.tools());
        return stream(ex, handle, req, session, format);
    }

    private int text(ObservedExchange ex, ParsedRequest req) throws IOException, InterruptedException {
        String id = "cmpl-" + UUID.randomUUID().toString().replace("-", "");
        long created = clock.instant().getEpochSecond();
        if (!req.stream()) {
            Completion c = await(submitQuiet(req));
            ex.usage(c.usage());
            return json(ex, 200, shapes.textCompletion(id, created, c));
        }
        StreamSession session = new StreamSession();
        GenerationHandle handle = submit(req, session);
        int n = req.generation().n();
        boolean[] inThought = new boolean[n];
        StreamSession.ChunkFormat format = new StreamSession.ChunkFormat() {
            @Override
            public String start(int index) {
                return null;
            }

            @Override
            public String reasoning(int index, String text, List<SampledToken> lp) {
                inThought[index] = true;
                return shapes.textChunk(id, created, index, text, lp, null).toString();
            }

            @Override
            public String answer(int index, String text, List<SampledToken> lp) {
                // Raw text: the parser took the closing tag out of the thought; put it back where it was.
                String t = inThought[index] ? "</think>" + text : text;
                inThought[index] = false;
                return shapes.textChunk(id, created, index, t, lp, null).toString();
            }

            @Override
            public String finish(int index, FinishReason reason, List<SampledToken> lp) {
                return shapes.textChunk(id, created, index, "", lp, reason).toString();
            }

            @Override
            public String usage(Usage usage) {
                return shapes.usageChunk(id, "text_completion", created, usage).toString();
            }
        };
        return stream(ex, handle, req, session, format);
    }

    private int stream(ObservedExchange ex, GenerationHandle handle, ParsedRequest req, StreamSession session,
                       StreamSession.ChunkFormat format) throws InterruptedException {
        SseWriter sse;
        try {
            sse = new SseWriter(ex.stream(200, "text/event-stream; charset=utf-8",
                    "Cache-Control", "no-cache", "X-Accel-Buffering", "no"));
        } catch (IOException gone) {
            handle.cancel();
            return ObservedExchange.CLIENT_CLOSED;
        }
        boolean complete = session.pump(handle, req.generation().n(), sse, format, req.includeUsage());
        ex.usage(session.usage());
        return complete ? 200 : ObservedExchange.CLIENT_CLOSED;
    }

    private GenerationHandle submitQuiet(ParsedRequest req) {
        return submit(req.generation(), GenerationListener.none());
    }

    private GenerationHandle submit(ParsedRequest req, GenerationListener listener) {
        return submit(req.generation(), listener);
    }

    /** Hands {@code request} to the engine, or refuses it with 503 while the server drains. */
    GenerationHandle submit(GenerationRequest request, GenerationListener listener) {
        if (draining) {
            throw new ApiException(503, "server_error", null, "shutting_down",
                    "the server is shutting down; retry on another instance");
        }
        return engine.submit(request, listener);
    }

    /** Waits for {@code handle}'s completion; an interrupted wait cancels the request. */
    static Completion await(GenerationHandle handle) throws InterruptedException {
        try {
            return handle.await();
        } catch (InterruptedException e) {
            handle.cancel();
            throw e;
        }
    }

    private ObjectNode modelObject() {
        ObjectNode m = ResponseShapes.JSON.createObjectNode();
        m.put("id", config.modelId());
        m.put("object", "model");
        m.put("created", 0);
        m.put("owned_by", "r1j");
        m.put("context_length", engine.contextSize());
        return m;
    }

    /** Checks the bearer key when the server has one; 401 otherwise. */
    void authorize(Exchange ex) {
        if (apiKey == null) {
            return;
        }
        String auth = ex.header("Authorization");
        String prefix = "Bearer ";
        if (auth == null || !auth.regionMatches(true, 0, prefix, 0, prefix.length())) {
            throw new ApiException(401, "invalid_request_error", null, "invalid_api_key",
                    "missing API key; send the header 'Authorization: Bearer <key>'");
        }
        byte[] given = auth.substring(prefix.length()).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, apiKey)) {
            throw new ApiException(401, "invalid_request_error", null, "invalid_api_key", "incorrect API key");
        }
    }

    /** 405 unless the request used {@code allowed}. */
    static void requireMethod(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw new ApiException(405, "invalid_request_error", null, "method_not_allowed",
                    "method " + method + " is not allowed here; use " + allowed);
        }
    }

    static int json(Exchange ex, int status, ObjectNode body) throws IOException {
        ex.respond(status, "application/json", body.toString().getBytes(StandardCharsets.UTF_8));
        return status;
    }

    private static int asset(Exchange ex, String[] asset) throws IOException {
        try (InputStream in = Api.class.getResourceAsStream("web/" + asset[0])) {
            if (in == null) {
                throw new IllegalStateException("web asset " + asset[0] + " is missing from the jar");
            }
            ex.respond(200, asset[1], in.readAllBytes(), "Cache-Control", "no-cache");
            return 200;
        }
    }

    /**
     * A bundled third-party file of the page (markdown-it, KaTeX and its fonts): a plain name or {@code fonts/<name>},
     * never a path that could leave the folder.
     */
    private static int vendorAsset(Exchange ex, String name) throws IOException {
        String type = name.endsWith(".js") ? "text/javascript; charset=utf-8"
                : name.endsWith(".css") ? "text/css; charset=utf-8"
                : name.endsWith(".woff2") ? "font/woff2" : null;
        if (type == null || !VENDOR_NAME.matcher(name).matches()) {
            throw new ApiException(404, "invalid_request_error", null, "not_found", "no file /vendor/" + name);
        }
        try (InputStream in = Api.class.getResourceAsStream("web/vendor/" + name)) {
            if (in == null) {
                throw new ApiException(404, "invalid_request_error", null, "not_found", "no file /vendor/" + name);
            }
            // Pinned versions: the bytes behind a name never change within a release.
            ex.respond(200, type, in.readAllBytes(), "Cache-Control", "public, max-age=86400");
            return 200;
        }
    }

    /**
     * Why a load balancer should not send this server a request now (a Kubernetes readiness probe): draining, or the
     * queue at its limit; {@code null} when ready. The model is loaded before the server listens, so a server that
     * answers at all has its model.
     */
    private String notReadyReason() {
        if (draining) return "shutting_down";
        int limit = engine.options().maxQueue();
        if (engine.stats().queueDepth() >= limit) return "queue_full";
        return null;
    }

    /** A bounded label for metrics: known routes by name, everything else "other". */
    private static String routeName(String path) {
        return switch (path) {
            case "/v1/chat/completions", "/v1/completions", "/v1/models", "/health", "/ready", "/metrics" -> path;
            case "/api/chat", "/api/generate", "/api/tags", "/api/show", "/api/version", "/api/ps" -> path;
            default -> path.startsWith("/v1/models/") ? "/v1/models/{id}"
                    : ASSETS.containsKey(path) || path.startsWith("/vendor/") ? "web" : "other";
        };
    }
}
