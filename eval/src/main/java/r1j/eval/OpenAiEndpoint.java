package r1j.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * A client of any OpenAI-compatible chat completions endpoint ({@code r1j serve}, vLLM, SGLang, llama-server, the
 * DeepSeek API). One non-streaming request per sample, on the JDK {@link HttpClient} with a virtual-thread executor.
 *
 * <p>Transient failures (HTTP 429 and 5xx, connection errors, timeouts) are retried with exponential backoff: the
 * {@code Retry-After} header when the server sends one, else {@code backoff · 2^attempt}, up to {@code attempts}
 * tries. Other 4xx answers fail at once with the server's message. The thought comes from {@code reasoning_content}
 * when the server splits it (DeepSeek API, vLLM's reasoning parser, r1j serve); otherwise the text before
 * {@code </think>} is the thought.
 */
public final class OpenAiEndpoint implements Backend {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI url;
    private final String apiKey;
    private final String model;
    private final Duration timeout;
    private final int attempts;
    private final Duration backoff;
    private final HttpClient http;

    /**
     * @param baseUrl  the server's base URL ({@code http://host:8080}, {@code …/v1}) or the full chat completions URL
     * @param apiKey   bearer token, or {@code null}
     * @param model    the {@code model} field of each request
     * @param timeout  per request (a 32768-token R1 answer may take many minutes on a busy server)
     * @param attempts tries per sample, at least 1
     * @param backoff  the first retry's wait
     */
    public OpenAiEndpoint(String baseUrl, String apiKey, String model, Duration timeout, int attempts, Duration backoff) {
        this.url = chatUrl(baseUrl);
        this.apiKey = apiKey;
        this.model = java.util.Objects.requireNonNull(model, "model");
        this.timeout = timeout;
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts %d must be at least 1".formatted(attempts));
        }
        this.attempts = attempts;
        this.backoff = backoff;
        this.http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor())
                .connectTimeout(Duration.ofSeconds(30)).build();
    }

    /** The chat completions URL for a base URL given with or without {@code /v1} or the full path. */
    static URI chatUrl(String base) {
        String b = base.strip().replaceAll("/+$", "");
        if (!b.startsWith("http://") && !b.startsWith("https://")) {
            throw new IllegalArgumentException("--endpoint '%s' must be an http:// or https:// URL".formatted(base));
        }
        if (b.endsWith("/chat/completions")) {
            return URI.create(b);
        }
        return URI.create(b.endsWith("/v1") ? b + "/chat/completions" : b + "/v1/chat/completions");
    }

    @Override
    public String modelName() {
        return model;
    }

    @Override
    public Generation generate(Request r) throws IOException, InterruptedException {
        String body = requestBody(r);
        IOException last = null;
        for (int attempt = 0; attempt < attempts; attempt++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(timeout)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
            if (apiKey != null) {
                b.header("Authorization", "Bearer " + apiKey);
            }
            Duration wait = backoff.multipliedBy(1L << Math.min(attempt, 10));
            try {
                HttpResponse<String> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                int status = resp.statusCode();
                if (status == 200) {
                    return parse(resp.body());
                }
                String message = "HTTP %d from %s: %s".formatted(status, url, abbreviate(resp.body()));
                if (status != 429 && status < 500) {
                    throw new Rejected(message); // a request the server will never accept: no retry
                }
                last = new IOException(message);
                wait = resp.headers().firstValue("Retry-After").map(OpenAiEndpoint::seconds).orElse(wait);
            } catch (Rejected e) {
                throw e;
            } catch (HttpTimeoutException e) {
                last = new IOException("no answer from %s within %s".formatted(url, timeout), e);
            } catch (java.net.ConnectException e) {
                last = new IOException("cannot connect to %s: %s".formatted(url, e.getMessage()), e);
            } catch (IOException e) {
                last = e; // the connection broke mid-answer
            }
            if (attempt + 1 < attempts) {
                Thread.sleep(wait);
            }
        }
        throw new IOException("gave up after %d attempts: %s".formatted(attempts, last.getMessage()), last);
    }

    /** A 4xx answer other than 429: retrying cannot help. */
    static final class Rejected extends IOException {
        Rejected(String message) {
            super(message);
        }
    }

    String requestBody(Request r) {
        ObjectNode root = JSON.createObjectNode();
        root.put("model", model);
        root.putArray("messages").addObject().put("role", "user").put("content", r.userMessage());
        root.put("temperature", r.temperature());
        root.put("top_p", r.topP());
        root.put("max_tokens", r.maxTokens());
        root.put("seed", r.seed());
        root.put("stream", false);
        return root.toString();
    }

    /** A chat completion response as a {@link Generation}. */
    static Generation parse(String body) throws IOException {
        JsonNode root = JSON.readTree(body);
        JsonNode choice = root.path("choices").path(0);
        if (choice.isMissingNode()) {
            throw new IOException("the response has no choices: " + abbreviate(body));
        }
        JsonNode message = choice.path("message");
        String content = message.path("content").asText("");
        String reasoning = message.hasNonNull("reasoning_content") ? message.get("reasoning_content").asText()
                : message.hasNonNull("reasoning") ? message.get("reasoning").asText() : null;
        String answer = content;
        if (reasoning == null) {
            int close = content.indexOf("</think>");
            if (close >= 0) {
                reasoning = content.substring(0, close).replaceFirst("^\\s*<think>", "").strip();
                answer = content.substring(close + "</think>".length()).strip();
            } else if (content.stripLeading().startsWith("<think>")) {
                reasoning = content.stripLeading().substring("<think>".length()); // the thought never closed
                answer = "";
            } else {
                reasoning = "";
            }
        }
        int tokens = root.path("usage").path("completion_tokens").asInt(0);
        return new Generation(reasoning, answer, tokens, choice.path("finish_reason").asText("stop"));
    }

    private static Duration seconds(String retryAfter) {
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(retryAfter.strip())));
        } catch (NumberFormatException e) {
            return Duration.ofSeconds(1); // an HTTP date: wait a moment
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }

    @Override
    public void close() {
        http.close();
    }
}
