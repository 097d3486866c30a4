package r1j.server;

import r1j.engine.GenerationRequest;

/**
 * A validated API request, ready for the engine.
 *
 * @param generation   what to generate
 * @param stream       answer with server-sent events instead of one JSON body
 * @param includeUsage {@code stream_options.include_usage}: send a last chunk with the request's usage
 * @param model        the model name the client asked for (echoed back only as the served model's id)
 */
record ParsedRequest(GenerationRequest generation, boolean stream, boolean includeUsage, String model) {
}
