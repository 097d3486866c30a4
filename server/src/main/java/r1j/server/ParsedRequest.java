package r1j.server;

import r1j.engine.GenerationRequest;

/**
 * A validated API request, ready for the engine.
 *
 * @param generation   what to generate
 * @param stream       answer with server-sent events instead of one JSON body
 * @param includeUsage {@code stream_options.include_usage}: send a last chunk with the request's usage
 * @param model        the model name the client asked for (echoed back only as the served model's id)
 * @param tools        the request's functions and {@code tool_choice} ({@link ToolSet#NONE} without)
 */
record ParsedRequest(GenerationRequest generation, boolean stream, boolean includeUsage, String model, ToolSet tools) {

    /** A request without tools. */
    ParsedRequest(GenerationRequest generation, boolean stream, boolean includeUsage, String model) {
        this(generation, stream, includeUsage, model, ToolSet.NONE);
    }
}
