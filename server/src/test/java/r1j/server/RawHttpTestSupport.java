package r1j.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A plain small chat request, to check that a server still answers. */
final class RawHttpTestSupport {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private RawHttpTestSupport() {
    }

    /** POSTs a {@code maxTokens}-token chat completion and returns the status. */
    static int chat(TestServers servers, int maxTokens) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(servers.baseUrl() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + TestServers.KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                        + "\"max_tokens\":" + maxTokens + "}"))
                .build();
        return HTTP.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
