package r1j.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import r1j.engine.FinishReason;
import r1j.engine.Usage;
import r1j.sample.SampledToken;

/**
 * The chunks of a streamed chat completion: the role first, then {@code reasoning_content} deltas during the thought
 * and {@code content} deltas after it, then the finish.
 *
 * <p>With tools in play:
 * <ul>
 *   <li>A forced call ({@code tool_choice} {@code required} or a named function) is constrained to exactly
 *       {@code {"name":"f","arguments":{…}}}, so it streams in OpenAI's incremental shape as it is generated: once
 *       the name is complete a delta with {@code tool_calls[0]} {@code index}, {@code id}, {@code type},
 *       {@code function.name}, then {@code function.arguments} pieces (the wrapper's closing brace held back), and
 *       finish reason {@code tool_calls}.</li>
 *   <li>With {@code auto} the answer may or may not be a call, so it is held back (reasoning still streams) until the
 *       choice ends, then sent as one tool-call delta or one {@code content} delta.</li>
 * </ul>
 */
final class ChatChunkFormat implements StreamSession.ChunkFormat {

    /** The constrained prefix of a forced call: the compact JSON the grammar writes before the arguments. */
    private static final Pattern CALL_HEAD = Pattern.compile("^\\{\"name\":(\"(?:[^\"\\\\]|\\\\.)*\"),\"arguments\":");

    private final ResponseShapes shapes;
    private final String id;
    private final long created;
    private final ToolSet tools;
    private final StringBuilder[] held;   // [n] answer text held back per choice when tools are active
    private final int[] argumentsStart;   // [n] offset of the arguments in held (forced calls), -1 before the name ends
    private final int[] argumentsSent;    // [n] characters of the arguments already sent

    ChatChunkFormat(ResponseShapes shapes, String id, long created, int n, ToolSet tools) {
        this.shapes = shapes;
        this.id = id;
        this.created = created;
        this.tools = tools;
        this.held = new StringBuilder[n];
        this.argumentsStart = new int[n];
        this.argumentsSent = new int[n];
        for (int i = 0; i < n; i++) {
            held[i] = new StringBuilder();
            argumentsStart[i] = -1;
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
        if (!tools.active()) {
            return shapes.chatChunk(id, created, index, null, null, text, lp, null).toString();
        }
        held[index].append(text);
        return tools.forcesCall() ? forcedCallPiece(index, null) : null;
    }

    @Override
    public String finish(int index, FinishReason reason, List<SampledToken> lp) {
        if (!tools.active()) {
            return shapes.chatChunk(id, created, index, null, null, "", lp, reason).toString();
        }
        String answer = held[index].toString();
        if (tools.forcesCall() && argumentsStart[index] >= 0) {
            String finish = reason == FinishReason.STOP ? ResponseShapes.TOOL_CALLS : ResponseShapes.finishReason(reason);
            return forcedCallPiece(index, finish);
        }
        List<ToolSet.Call> calls = reason == FinishReason.STOP ? tools.parseCalls(answer) : List.of();
        if (!calls.isEmpty()) {
            return shapes.toolCallChunk(id, created, index, calls).toString();
        }
        return shapes.chatChunk(id, created, index, null, null, answer, lp, reason).toString();
    }

    /**
     * The next piece of a forced call, or {@code null} when nothing new can be sent yet. Until {@code finish} the last
     * character is held back: it may be the brace that closes the wrapper object, not the arguments.
     */
    private String forcedCallPiece(int index, String finish) {
        StringBuilder h = held[index];
        String callId = null;
        String name = null;
        if (argumentsStart[index] < 0) {
            Matcher m = CALL_HEAD.matcher(h);
            if (!m.find()) {
                return null;
            }
            argumentsStart[index] = m.end();
            callId = "call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
            try {
                name = ResponseShapes.JSON.readValue(m.group(1), String.class);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("the call grammar wrote a name that is not a JSON string: " + m.group(1), e);
            }
        }
        int end = finish == null || finish.equals(ResponseShapes.TOOL_CALLS) ? h.length() - 1 : h.length();
        int from = argumentsStart[index] + argumentsSent[index];
        String piece = end > from ? h.substring(from, end) : "";
        if (piece.isEmpty() && callId == null && finish == null) {
            return null;
        }
        argumentsSent[index] += piece.length();
        return shapes.toolCallDeltaChunk(id, created, index, callId, name, piece, finish).toString();
    }

    @Override
    public String usage(Usage usage) {
        return shapes.usageChunk(id, "chat.completion.chunk", created, usage).toString();
    }
}
