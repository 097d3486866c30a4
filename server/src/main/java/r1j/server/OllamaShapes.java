package r1j.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import r1j.engine.FinishReason;
import r1j.engine.Usage;
import r1j.model.ArchitectureConfig;
import r1j.model.DeepSeek2Config;
import r1j.model.ModelConfig;

/**
 * The JSON shapes of Ollama's API (<a href="https://github.com/ollama/ollama/blob/main/docs/api.md">docs/api.md</a>):
 * stream objects {@code {"model","created_at","message":{"role","content","thinking"},"done":false}} for
 * {@code /api/chat} and {@code {"model","created_at","response","thinking","done":false}} for {@code /api/generate};
 * the last object has {@code "done": true}, {@code done_reason} and the counts and timings (nanoseconds):
 * {@code total_duration}, {@code load_duration}, {@code prompt_eval_count}, {@code prompt_eval_duration},
 * {@code eval_count}, {@code eval_duration}. An answer that calls tools has {@code message.tool_calls}
 * ({@link #withToolCalls}) and {@code done_reason} {@code stop}, as Ollama reports it.
 *
 * <p>Timings map onto the engine's {@link Usage}: total is submission to the last token, prompt evaluation is
 * submission to the first token (queueing and prefill), evaluation the rest. The model is loaded when the server
 * starts, never by a request, so {@code load_duration} is 0.
 */
final class OllamaShapes {

    /** The Ollama API version whose shapes this server follows, for clients that check {@code /api/version}. */
    static final String API_VERSION = "0.12.0";

    private final String model;

    OllamaShapes(String model) {
        this.model = model;
    }

    /** A chat stream object carrying a piece of the thought or of the answer. */
    ObjectNode chatChunk(Instant at, String thinking, String content) {
        ObjectNode o = header(at);
        ObjectNode msg = o.putObject("message");
        msg.put("role", "assistant");
        msg.put("content", content == null ? "" : content);
        if (thinking != null) {
            msg.put("thinking", thinking);
        }
        o.put("done", false);
        return o;
    }

    /** The last chat object: the whole answer when not streamed ({@code ""} when streamed), and the stats. */
    ObjectNode chatDone(Instant at, String thinking, String content, String doneReason, Usage usage) {
        ObjectNode o = chatChunk(at, thinking == null || thinking.isEmpty() ? null : thinking, content);
        return done(o, doneReason, usage);
    }

    /**
     * {@code o}'s message with the answer's tool calls, as Ollama writes them: {@code content} empty and
     * {@code tool_calls: [{"function": {"name": …, "arguments": {…}}}]}, the arguments an object, not JSON text.
     */
    static ObjectNode withToolCalls(ObjectNode o, List<ToolSet.Call> calls) {
        ObjectNode msg = (ObjectNode) o.get("message");
        msg.put("content", "");
        ArrayNode list = msg.putArray("tool_calls");
        for (ToolSet.Call c : calls) {
            ObjectNode f = list.addObject().putObject("function");
            f.put("name", c.name());
            try {
                f.set("arguments", ResponseShapes.JSON.readTree(c.arguments()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a parsed call's arguments are not JSON: " + c.arguments(), e);
            }
        }
        return o;
    }

    /** A generate stream object. */
    ObjectNode generateChunk(Instant at, String thinking, String response) {
        ObjectNode o = header(at);
        o.put("response", response == null ? "" : response);
        if (thinking != null) {
            o.put("thinking", thinking);
        }
        o.put("done", false);
        return o;
    }

    /** The last generate object. */
    ObjectNode generateDone(Instant at, String thinking, String response, String doneReason, Usage usage) {
        ObjectNode o = generateChunk(at, thinking == null || thinking.isEmpty() ? null : thinking, response);
        return done(o, doneReason, usage);
    }

    /** Ollama's answer to a request without prompt or messages: the model is (already) loaded. */
    ObjectNode loaded(Instant at, boolean chat) {
        ObjectNode o = header(at);
        if (chat) {
            o.putObject("message").put("role", "assistant").put("content", "");
        } else {
            o.put("response", "");
        }
        o.put("done", true);
        o.put("done_reason", "load");
        return o;
    }

    /** {@code done_reason}: Ollama's {@code stop} and {@code length}; r1j's other reasons by their wire names. */
    static String doneReason(FinishReason r) {
        return r.wireName();
    }

    /** One model entry of {@code /api/tags} and {@code /api/ps}. */
    ObjectNode modelEntry(Instant modifiedAt, ArchitectureConfig config) {
        ObjectNode m = ResponseShapes.JSON.createObjectNode();
        m.put("name", taggedName());
        m.put("model", taggedName());
        m.put("modified_at", modifiedAt.toString());
        m.set("details", details(config));
        return m;
    }

    /** {@code details}: what r1j knows of the loaded model. */
    ObjectNode details(ArchitectureConfig config) {
        ObjectNode d = ResponseShapes.JSON.createObjectNode();
        d.put("parent_model", "");
        d.put("format", "gguf");
        d.put("family", config.architecture());
        d.putArray("families").add(config.architecture());
        return d;
    }

    /** {@code model_info}: the GGUF hyper-parameters under their GGUF key names. */
    ObjectNode modelInfo(ArchitectureConfig config, int contextSize) {
        String a = config.architecture();
        ObjectNode i = ResponseShapes.JSON.createObjectNode();
        i.put("general.architecture", a);
        i.put(a + ".context_length", contextSize);
        i.put(a + ".embedding_length", config.dim());
        i.put(a + ".block_count", config.layers());
        i.put(a + ".vocab_size", config.vocab());
        switch (config) {
            case ModelConfig dense -> {
                i.put(a + ".feed_forward_length", dense.hiddenDim());
                i.put(a + ".attention.head_count", dense.heads());
                i.put(a + ".attention.head_count_kv", dense.kvHeads());
            }
            case DeepSeek2Config mla -> {
                i.put(a + ".feed_forward_length", mla.hiddenDim());
                i.put(a + ".attention.head_count", mla.heads());
            }
            default -> { }
        }
        return i;
    }

    /** Ollama names carry a tag; the served model is {@code <id>:latest} unless its id has one. */
    String taggedName() {
        return model.contains(":") ? model : model + ":latest";
    }

    private ObjectNode header(Instant at) {
        ObjectNode o = ResponseShapes.JSON.createObjectNode();
        o.put("model", model);
        o.put("created_at", at.toString());
        return o;
    }

    private static ObjectNode done(ObjectNode o, String doneReason, Usage u) {
        o.put("done", true);
        o.put("done_reason", doneReason);
        long total = u.elapsed().toNanos();
        long prompt = Math.min(u.timeToFirstToken().toNanos(), total);
        o.put("total_duration", total);
        o.put("load_duration", 0);
        o.put("prompt_eval_count", u.promptTokens());
        o.put("prompt_eval_duration", prompt);
        o.put("eval_count", u.completionTokens());
        o.put("eval_duration", total - prompt);
        return o;
    }
}
