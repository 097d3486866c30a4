package r1j.server;

import java.io.IOException;
import java.io.OutputStream;

/**
 * One HTTP request and its response as the protocol code sees it, free of the HTTP library. The transport has read
 * the body (within the size limit) before the API sees the exchange.
 */
interface Exchange {

    /** {@code GET}, {@code POST}, ... */
    String method();

    /** The path without the query ({@code /v1/chat/completions}). */
    String path();

    /** A request header's first value, or null; names are case-insensitive. */
    String header(String name);

    /** The request body (empty when none). */
    byte[] body();

    /** Sends a whole response; {@code extraHeaders} alternate name, value. */
    void respond(int status, String contentType, byte[] body, String... extraHeaders) throws IOException;

    /**
     * Starts a streamed response of unknown length; every write reaches the client when flushed. Closing the stream
     * ends the response.
     */
    OutputStream stream(int status, String contentType, String... extraHeaders) throws IOException;
}
