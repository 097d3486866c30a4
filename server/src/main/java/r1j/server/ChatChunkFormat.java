package r1j.server;

import java.util.List;
import r1j.engine.FinishReason;
import r1j.engine.Usage;
import r1j.sample.SampledToken;

/**
 * The chunks of a streamed chat completion: the role first, then {@code reasoning_content} deltas during the thought
 * and {@code content} deltas after it, then the finish. With tools in play the answer is held back (reasoning still
 * streams) until the choice ends: a tool-call answer then goes out as one delta of OpenAI's incremental shape
 * ({@code tool_calls[i]} with {@code index}, {@code id}, {@code type}, {@code function.name},
 * {@code function.arguments}) with finish reason {@code tool_calls}; any other answer as one {@code content} delta.
 */
final class ChatChunkFormat implements StreamSession.ChunkFormat {

    private final ResponseShapes shapes;
    private final String id;
    private final long created;
    private final ToolSet tools;
    private final StringBuilder[] held; // [n] answer text held back per choice when tools are active

    ChatChunkFormat(ResponseShapes shapes, String id, long created, int n, ToolSet tools) {
        this.shapes = shapes;
        this.id = id;
        this.created = created;
        this.tools = tools;
        this.held = new StringBuilder[n];
        for (int i = 0; i < n; i++) {
            held[i] = new StringBuilder();
        }
    }

    @Override
    public String start(int index) {
        return shapes.chatChunk(id, created, index, "assistant", "", null, null, null).toString();
    }

    @Override
    public String reasoning(int index, String text, List<SampledToken> lp) {
        return shapes.chatChunk(id, created, index, null, text, null, lp, null).toString();
    }

    @Override
    public String answer(int index, String text, List<SampledToken> lp) {
        if (tools.active()) {
            held[index].append(text);
            return null;
        }
        return shapes.chatChunk(id, created, index, null, null, text, lp, null).toString();
    }

    @Override
    public String finish(int index, FinishReason reason, List<SampledToken> lp) {
        if (!tools.active()) {
            return shapes.chatChunk(id, created, index, null, null, "", lp, reason).toString();
        }
        String answer = held[index].toString();
        List<ToolSet.Call> calls = reason == FinishReason.STOP ? tools.parseCalls(answer) : List.of();
        if (!calls.isEmpty()) {
            return shapes.toolCallChunk(id, created, index, calls).toString();
        }
        return shapes.chatChunk(id, created, index, null, null, answer, lp, reason).toString();
    }

    @Override
    public String usage(Usage usage) {
        return shapes.usageChunk(id, "chat.completion.chunk", created, usage).toString();
    }
}
