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
import r1j.engine.GenerationListener;
import r1j.engine.Usage;
import r1j.sample.SampledToken;

/**
 * Routes requests to the endpoints and answers them; knows nothing of the HTTP library ({@link Exchange}).
 * Every failure becomes an OpenAI-shaped error response; nothing a client sends stops the server.
 */
final class Api {

    private static final Logger LOG = LoggerFactory.getLogger(Api.class);

    /** Static files of the web page: path → resource name and content type. */
    private static final Map<String, String[]> ASSETS = Map.of(
            "/", new String[] {"index.html", "text/html; charset=utf-8"},
            "/index.html", new String[] {"index.html", "text/html; charset=utf-8"},
            "/app.js", new String[] {"app.js", "text/javascript; charset=utf-8"},
            "/app.css", new String[] {"app.css", "text/css; charset=utf-8"},
            "/render.js", new String[] {"render.js", "text/javascript; charset=utf-8"});

    private final Engine engine;
    private final ServerConfig config;
    private final Metrics metrics;
    private final Clock clock;
    private final ResponseShapes shapes;
    private final byte[] apiKey;
    private volatile boolean draining;

    Api(Engine engine, ServerConfig config, Metrics metrics, Clock clock) {
        this.engine = engine;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
        this.shapes = new ResponseShapes(engine.tokenizer(), config.modelId());
        this.apiKey = config.apiKey() == null ? null : config.apiKey().getBytes(StandardCharsets.UTF_8);
    }

    /** From now on generation requests get 503 and {@code /health} says so. */
    void drain() {
        draining = true;
    }

    /**
     * Answers one exchange; never throws. The request is counted in the metrics with the status it is answered with
     * before that status reaches the client (see {@link CountedExchange}), so a client that reads {@code /metrics}
     * after its answer always finds it counted.
     */
    void handle(Exchange exchange) {
        var ex = new CountedExchange(exchange, routeName(exchange.path()), metrics);
        int status;
        try {
            status = dispatch(ex);
        } catch (RuntimeException e) {
            ApiException api = ErrorBody.toApiException(e);
            if (api.status() >= 500) {
                LOG.warn("{} {} failed", ex.method(), ex.path(), e);
            }
            status = api.status();
            try {
                ex.respond(status, "application/json", ErrorBody.json(api),
                        status == 429 || status == 503 ? new String[] {"Retry-After", "1"} : new String[0]);
            } catch (IOException gone) {
                // The client left before its error; nothing to do.
            }
        } catch (IOException gone) {
            status = 499; // the client closed the connection (nginx's convention)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = 503;
        }
        ex.countIfUnanswered(status);
    }

    private int dispatch(Exchange ex) throws IOException, InterruptedException {
        String path = ex.path();
        String method = ex.method();
        if (ASSETS.containsKey(path)) {
            requireMethod(method, "GET");
            return asset(ex, ASSETS.get(path));
        }
        switch (path) {
            case "/health" -> {
                requireMethod(method, "GET");
                int status = draining ? 503 : 200;
                ex.respond(status, "application/json",
                        ("{\"status\":\"" + (draining ? "shutting_down" : "ok") + "\"}").getBytes(StandardCharsets.UTF_8));
                return status;
            }
            case "/metrics" -> {
                requireMethod(method, "GET");
                authorize(ex);
                ex.respond(200, "text/plain; version=0.0.4; charset=utf-8",
                        metrics.render(engine.stats()).getBytes(StandardCharsets.UTF_8));
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

    private int chat(Exchange ex, ParsedRequest req) throws IOException, InterruptedException {
        String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
        long created = clock.instant().getEpochSecond();
        if (!req.stream()) {
            Completion c = await(submitQuiet(req));
            return json(ex, 200, shapes.chatCompletion(id, created, c));
        }
        StreamSession session = new StreamSession();
        GenerationHandle handle = submit(req, session);
        StreamSession.ChunkFormat format = new StreamSession.ChunkFormat() {
            @Override
            public String start(int index) {
                ObjectNode chunk = shapes.chatChunk(id, created, index, "assistant", "", null, null, null);
                return chunk.toString();
            }

            @Override
            public String reasoning(int index, String text, List<SampledToken> lp) {
                return shapes.chatChunk(id, created, index, null, text, null, lp, null).toString();
            }

            @Override
            public String answer(int index, String text, List<SampledToken> lp) {
                return shapes.chatChunk(id, created, index, null, null, text, lp, null).toString();
            }

            @Override
            public String finish(int index, FinishReason reason, List<SampledToken> lp) {
                return shapes.chatChunk(id, created, index, null, null, "", lp, reason).toString();
            }

            @Override
            public String usage(Usage usage) {
                return shapes.usageChunk(id, "chat.completion.chunk", created, usage).toString();
            }
        };
        return stream(ex, handle, req, session, format);
    }

    private int text(Exchange ex, ParsedRequest req) throws IOException, InterruptedException {
        String id = "cmpl-" + UUID.randomUUID().toString().replace("-", "");
        long created = clock.instant().getEpochSecond();
        if (!req.stream()) {
            Completion c = await(submitQuiet(req));
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

    private int stream(Exchange ex, GenerationHandle handle, ParsedRequest req, StreamSession session,
                       StreamSession.ChunkFormat format) throws InterruptedException {
        SseWriter sse;
        try {
            sse = new SseWriter(ex.stream(200, "text/event-stream; charset=utf-8",
                    "Cache-Control", "no-cache", "X-Accel-Buffering", "no"));
        } catch (IOException gone) {
            handle.cancel();
            return 499;
        }
        return session.pump(handle, req.generation().n(), sse, format, req.includeUsage()) ? 200 : 499;
    }

    private GenerationHandle submitQuiet(ParsedRequest req) {
        return submit(req, GenerationListener.none());
    }

    private GenerationHandle submit(ParsedRequest req, GenerationListener listener) {
        if (draining) {
            throw new ApiException(503, "server_error", null, "shutting_down",
                    "the server is shutting down; retry on another instance");
        }
        return engine.submit(req.generation(), listener);
    }

    private static Completion await(GenerationHandle handle) throws InterruptedException {
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

    private void authorize(Exchange ex) {
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

    private static void requireMethod(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw new ApiException(405, "invalid_request_error", null, "method_not_allowed",
                    "method " + method + " is not allowed here; use " + allowed);
        }
    }

    private static int json(Exchange ex, int status, ObjectNode body) throws IOException {
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

    /** A bounded label for metrics: known routes by name, everything else "other". */
    private static String routeName(String path) {
        return switch (path) {
            case "/v1/chat/completions", "/v1/completions", "/v1/models", "/health", "/metrics" -> path;
            default -> path.startsWith("/v1/models/") ? "/v1/models/{id}" : ASSETS.containsKey(path) ? "web" : "other";
        };
    }
}
