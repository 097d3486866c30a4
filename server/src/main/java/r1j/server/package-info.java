/**
 * The OpenAI/DeepSeek-compatible HTTP API over an {@link r1j.engine.Engine}: chat and text completions (JSON and
 * server-sent events), models, health, Prometheus metrics, API-key auth, request limits, and the offline web chat page.
 *
 * <p>Only {@link r1j.server.HttpTransport} touches the HTTP library (the JDK's {@code com.sun.net.httpserver} on
 * virtual threads); the protocol — request parsing and validation, response and chunk shapes, SSE framing, error
 * mapping — is plain code beside it, driven through {@link r1j.server.Exchange}. May depend on {@code r1j.engine},
 * {@code r1j.chat} and {@code r1j.sample} (records it passes through), Jackson and the JDK.
 */
package r1j.server;
