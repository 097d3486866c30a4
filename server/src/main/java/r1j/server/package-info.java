/**
 * The OpenAI/DeepSeek- and Ollama-compatible HTTP API over an {@link r1j.engine.Engine}: chat and text completions
 * (JSON, server-sent events, NDJSON), models, health, Prometheus metrics, API-key auth, TLS, request limits, an access
 * log, and the offline web chat page (markdown-it and KaTeX bundled as resources).
 *
 * <p>Only {@link r1j.server.HttpTransport} touches the HTTP library (Jetty 12's core handler API on virtual threads);
 * the protocol — request parsing and validation, response and chunk shapes, SSE and NDJSON framing, error mapping — is
 * plain code beside it, driven through {@link r1j.server.Exchange}. Only {@link r1j.server.Metrics} touches
 * Micrometer. May depend on {@code r1j.engine}, {@code r1j.chat}, {@code r1j.sample} and {@code r1j.model} (records it
 * passes through), Jackson, Jetty, Micrometer, SLF4J and the JDK.
 */
package r1j.server;
