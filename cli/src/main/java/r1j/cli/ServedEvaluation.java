package r1j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import r1j.engine.Engine;
import r1j.engine.EngineOptions;
import r1j.server.R1jServer;
import r1j.server.ServerConfig;
import r1j.train.data.Chat;
import r1j.train.recipe.Dialogues;
import r1j.train.recipe.Evaluator;
import r1j.train.task.Verifier;

/**
 * Held-out accuracy measured the way a client sees the model: each conversation is posted to {@code r1j serve}'s
 * OpenAI-compatible {@code /v1/chat/completions} as messages (system, the earlier user and assistant turns, the
 * question), greedy ({@code temperature 0}); the reply's {@code reasoning_content} and {@code content} are checked
 * by the recipe's own {@link Verifier}. Earlier assistant turns are sent as their content, as a chat client keeps
 * them; the server's template renders them exactly as training did.
 */
public final class ServedEvaluation {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ServedEvaluation() {}

    /** The request body of one conversation. */
    static String body(Chat chat, int maxTokens) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode messages = root.putArray("messages");
        if (!chat.system().isEmpty()) {
            messages.addObject().put("role", "system").put("content", chat.system());
        }
        for (Chat.Turn t : chat.earlier()) {
            messages.addObject().put("role", "user").put("content", t.question());
            messages.addObject().put("role", "assistant").put("content", t.reply());
        }
        messages.addObject().put("role", "user").put("content", chat.question());
        root.put("temperature", 0).put("max_tokens", maxTokens);
        return root.toString();
    }

    /**
     * The completion as the model wrote it, rebuilt from a response: reasoning, {@code </think>}, answer (no
     * {@code </think>} when the server found none, so an unclosed thought fails the checks).
     */
    static String completion(JsonNode response) {
        JsonNode msg = response.path("choices").path(0).path("message");
        String reasoning = msg.path("reasoning_content").asText("");
        JsonNode content = msg.path("content");
        if (content.isNull() || content.isMissingNode()) {
            return reasoning;
        }
        return reasoning + "\n</think>\n\n" + content.asText();
    }

    /**
     * Posts every conversation (at most {@code inFlight} at once) to the server at {@code baseUrl} and scores the
     * replies.
     *
     * @throws IOException when a request fails or the server answers other than 200
     */
    public static Evaluator.Score evaluate(String baseUrl, List<Dialogues.Dialogue> asked, int maxTokens, int inFlight)
            throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        URI uri = URI.create(baseUrl + "/v1/chat/completions");
        Semaphore slots = new Semaphore(inFlight);
        List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
        for (Dialogues.Dialogue d : asked) {
            slots.acquire();
            HttpRequest req = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body(d.chat(), maxTokens))).build();
            replies.add(http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> slots.release()));
        }
        double correct = 0;
        int format = 0;
        long tokens = 0;
        for (int i = 0; i < asked.size(); i++) {
            HttpResponse<String> r;
            try {
                r = replies.get(i).join();
            } catch (java.util.concurrent.CompletionException e) {
                throw new IOException("request %d to %s failed: %s".formatted(i, uri, e.getCause()), e.getCause());
            }
            if (r.statusCode() != 200) {
                throw new IOException("request %d to %s: HTTP %d %s".formatted(i, uri, r.statusCode(), r.body()));
            }
            JsonNode json = JSON.readTree(r.body());
            String text = completion(json);
            var p = asked.get(i).problem();
            correct += Verifier.correct(p, text) ? 1 : 0;
            format += Verifier.wellFormed(p, text) ? 1 : 0;
            tokens += json.path("usage").path("completion_tokens").asLong();
        }
        return new Evaluator.Score(correct, asked.size(), format, tokens / (double) Math.max(1, asked.size()));
    }

    /** A server on {@code model} listening on a free loopback port, for {@link #evaluate}; close it after. */
    public record Served(Engine engine, R1jServer server) implements AutoCloseable {
        public String baseUrl() { return server.baseUrl(); }

        @Override
        public void close() {
            server.close();
            engine.close();
        }
    }

    /**
     * Starts {@code r1j serve}'s server in-process on {@code model}: {@code parallel} slots of {@code context} tokens
     * (0: the model's own context length).
     */
    public static Served serve(Path model, int parallel, int context, int threads) throws IOException {
        Engine engine = Engine.load(model, EngineOptions.defaults().withParallel(parallel).withContextSize(context)
                .withMaxQueue(4096).withThreads(threads));
        try {
            return new Served(engine, R1jServer.start(engine, ServerConfig.defaults("tiny-r1").withPort(0)));
        } catch (IOException e) {
            engine.close();
            throw e;
        }
    }
}
