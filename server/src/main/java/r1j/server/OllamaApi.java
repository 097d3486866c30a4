package r1j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import r1j.engine.Completion;
import r1j.engine.Choice;
import r1j.engine.Engine;
import r1j.engine.FinishReason;
import r1j.engine.GenerationHandle;
import r1j.engine.GenerationListener;
import r1j.engine.GenerationRequest;
import r1j.engine.Usage;
import r1j.grammar.Grammar;
import r1j.grammar.JsonSchemaException;
import r1j.sample.SampledToken;
import r1j.sample.SamplerSettings;

/**
 * Ollama's API on the same port as OpenAI's, so clients written for {@code ollama} (LangChain4j's and LangChain's
 * Ollama integrations, Open WebUI, Continue, scripts) work unchanged: {@code POST /api/chat}, {@code POST
 * /api/generate} (streamed as NDJSON unless {@code "stream": false}), {@code GET /api/tags}, {@code POST /api/show},
 * {@code GET /api/version} and {@code GET /api/ps}. Errors are Ollama's {@code {"error": "..."}} (written by
 * {@link Api}). The server serves one model, so any model name a request gives means that model; responses name it as
 * the server's model id. The bearer key, when the server has one, guards these routes too. {@code /api/chat} takes
 * {@code tools} through the same {@link ToolSet} as {@code /v1} and answers calls in Ollama's
 * {@code message.tool_calls}.
 */
final class OllamaApi {

    private static final String NDJSON = "application/x-ndjson";

    private final Api api;
    private final Engine engine;
    private final Clock clock;
    private final OllamaShapes shapes;
    private final Instant started;

    OllamaApi(Api api, Engine engine, String modelId, Clock clock) {
        this.api = api;
        this.engine = engine;
        this.clock = clock;
        this.shapes = new OllamaShapes(modelId);
        this.started = clock.instant();
    }

    /** Answers a request under {@code /api/}; returns the status sent. */
    int dispatch(ObservedExchange ex) throws IOException, InterruptedException {
        String path = ex.path();
        String method = ex.method();
        switch (path) {
            case "/api/chat" -> {
                Api.requireMethod(method, "POST");
                api.authorize(ex);
                return generate(ex, OllamaRequests.chat(ex.body(), engine.contextSize()), true);
            }
            case "/api/generate" -> {
                Api.requireMethod(method, "POST");
                api.authorize(ex);
                return generate(ex, OllamaRequests.generate(ex.body(), engine.contextSize()), false);
            }
            case "/api/tags" -> {
                Api.requireMethod(method, "GET");
                api.authorize(ex);
                ObjectNode root = ResponseShapes.JSON.createObjectNode();
                root.putArray("models").add(shapes.modelEntry(started, engine.config()));
                return Api.json(ex, 200, root);
            }
            case "/api/ps" -> {
                Api.requireMethod(method, "GET");
                api.authorize(ex);
                ObjectNode root = ResponseShapes.JSON.createObjectNode();
                ObjectNode m = shapes.modelEntry(started, engine.config());
                m.remove("modified_at");
                m.put("size_vram", 0); // r1j runs on the CPU
                m.put("context_length", engine.contextSize());
                root.putArray("models").add(m);
                return Api.json(ex, 200, root);
            }
            case "/api/show" -> {
                Api.requireMethod(method, "POST");
                api.authorize(ex);
                return show(ex);
            }
            case "/api/version" -> {
                Api.requireMethod(method, "GET");
                ObjectNode root = ResponseShapes.JSON.createObjectNode();
                root.put("version", OllamaShapes.API_VERSION);
                return Api.json(ex, 200, root);
            }
            default -> throw new ApiException(404, "invalid_request_error", null, "not_found", "no route " + method
                    + " " + path + "; Ollama's API here: /api/chat, /api/generate, /api/tags, /api/show, /api/version, /api/ps");
        }
    }

    private int show(ObservedExchange ex) throws IOException {
        JsonNode root;
        try {
            root = ResponseShapes.JSON.readTree(ex.body());
        } catch (IOException e) {
            throw ApiException.badRequest(null, "the request body is not valid JSON");
        }
        if (root == null || !root.isObject()
                || !(root.path("model").isTextual() || root.path("name").isTextual())) {
            throw ApiException.badRequest("model", "'model' is required: {\"model\": \"<name>\"}");
        }
        SamplerSettings d = SamplerSettings.r1Defaults();
        ObjectNode o = ResponseShapes.JSON.createObjectNode();
        o.put("parameters", "temperature %s\ntop_p %s".formatted(d.temperature(), d.topP()));
        o.set("details", shapes.details(engine.config()));
        o.set("model_info", shapes.modelInfo(engine.config(), engine.contextSize()));
        o.putArray("capabilities").add("completion").add("tools").add("thinking");
        o.put("modified_at", started.toString());
        return Api.json(ex, 200, o);
    }

    /**
     * The request with a grammar on the answer: a forced tool call (r1j's {@code tool_choice} extension) follows the
     * call grammar of {@link ToolSet#grammar()}, as on {@code /v1}; otherwise Ollama's {@code format}: {@code "json"}
     * is any JSON object, an object is a JSON schema (the same compiler as {@code /v1}'s {@code response_format}).
     */
    private static GenerationRequest constrained(OllamaRequests.OllamaRequest req) {
        if (req.loadOnly()) return null;
        if (req.tools().forcesCall()) return req.generation().withConstraint(req.tools().grammar());
        if (req.format() == null) return req.generation();
        try {
            Grammar g = req.format().isTextual() ? Grammar.anyJsonObject() : Grammar.fromSchema(req.format());
            return req.generation().withConstraint(g);
        } catch (JsonSchemaException e) {
            throw ApiException.badRequest("format", "'format' is not a schema r1j can follow: " + e.getMessage());
        }
    }

    private int generate(ObservedExchange ex, OllamaRequests.OllamaRequest req, boolean chat)
            throws IOException, InterruptedException {
        GenerationRequest generation = constrained(req);
        if (req.loadOnly()) {
            return Api.json(ex, 200, shapes.loaded(clock.instant(), chat));
        }
        if (!req.stream()) {
            Completion c = Api.await(api.submit(generation, GenerationListener.none()));
            ex.usage(c.usage());
            Choice ch = c.choices().getFirst();
            String thinking = req.showThinking() ? ch.reasoning() : null;
            String reason = OllamaShapes.doneReason(ch.finishReason());
            List<ToolSet.Call> calls = calls(req.tools(), ch.answer(), ch.finishReason());
            ObjectNode body = chat
                    ? shapes.chatDone(clock.instant(), thinking, ch.answer(), reason, c.usage())
                    : shapes.generateDone(clock.instant(), thinking, ch.answer(), reason, c.usage());
            if (!calls.isEmpty()) {
                OllamaShapes.withToolCalls(body, calls);
            }
            return Api.json(ex, 200, body);
        }
        StreamSession session = new StreamSession();
        GenerationHandle handle = api.submit(generation, session);
        NdjsonWriter out;
        try {
            out = new NdjsonWriter(ex.stream(200, NDJSON, "Cache-Control", "no-cache", "X-Accel-Buffering", "no"));
        } catch (IOException gone) {
            handle.cancel();
            return ObservedExchange.CLIENT_CLOSED;
        }
        boolean complete = session.pump(handle, 1, out, new Lines(chat, req.showThinking(), req.tools()), true);
        ex.usage(session.usage());
        return complete ? 200 : ObservedExchange.CLIENT_CLOSED;
    }

    /** The answer's tool calls, when tools are in play and it ended normally; else none (the answer is content). */
    private static List<ToolSet.Call> calls(ToolSet tools, String answer, FinishReason reason) {
        return tools.active() && reason == FinishReason.STOP ? tools.parseCalls(answer) : List.of();
    }

    /**
     * Stream objects for one choice: thought and answer pieces, then the done object with the stats. With tools in
     * play the answer may be a call, so it is held back (the thought still streams) until the choice ends, then sent
     * as one object: the calls in {@code message.tool_calls}, as Ollama streams a call whole, or the answer as
     * {@code content}.
     */
    private final class Lines implements StreamSession.ChunkFormat {

        private final boolean chat;
        private final boolean showThinking;
        private final ToolSet tools;
        private final StringBuilder held = new StringBuilder();
        private FinishReason reason = FinishReason.STOP;

        Lines(boolean chat, boolean showThinking, ToolSet tools) {
            this.chat = chat;
            this.showThinking = showThinking;
            this.tools = tools;
        }

        @Override
        public String start(int index) {
            return null;
        }

        @Override
        public String reasoning(int index, String text, List<SampledToken> logprobs) {
            if (!showThinking) {
                return null;
            }
            Instant at = clock.instant();
            return (chat ? shapes.chatChunk(at, text, "") : shapes.generateChunk(at, text, "")).toString();
        }

        @Override
        public String answer(int index, String text, List<SampledToken> logprobs) {
            if (tools.active()) {
                held.append(text);
                return null;
            }
            Instant at = clock.instant();
            return (chat ? shapes.chatChunk(at, null, text) : shapes.generateChunk(at, null, text)).toString();
        }

        @Override
        public String finish(int index, FinishReason r, List<SampledToken> logprobs) {
            reason = r;
            if (!tools.active()) {
                return null;
            }
            List<ToolSet.Call> calls = calls(tools, held.toString(), r);
            if (!calls.isEmpty()) {
                return OllamaShapes.withToolCalls(shapes.chatChunk(clock.instant(), null, ""), calls).toString();
            }
            return held.isEmpty() ? null : shapes.chatChunk(clock.instant(), null, held.toString()).toString();
        }

        @Override
        public String usage(Usage usage) {
            Instant at = clock.instant();
            String r = OllamaShapes.doneReason(reason);
            return (chat ? shapes.chatDone(at, null, "", r, usage) : shapes.generateDone(at, null, "", r, usage)).toString();
        }
    }
}
