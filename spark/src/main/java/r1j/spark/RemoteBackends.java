package r1j.spark;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import r1j.eval.Backend;
import r1j.eval.EndpointPool;
import r1j.eval.OpenAiEndpoint;

/**
 * One client per serving fleet per executor JVM, for {@code --endpoint} runs: executors are then clients of the
 * servers (r1j replicas, vLLM, SGLang, the DeepSeek API), and several endpoints form a pool (least outstanding work,
 * failing endpoints taken out and probed back in).
 */
final class RemoteBackends {

    /** Per request: a long R1 answer on a busy server takes many minutes. */
    private static final Duration TIMEOUT = Duration.ofHours(1);

    private static final Map<java.util.List<String>, Backend> BACKENDS = new ConcurrentHashMap<>();

    private RemoteBackends() {}

    static Backend of(BatchSettings s) {
        return BACKENDS.computeIfAbsent(java.util.List.of(String.join(" ", s.endpoints()), String.valueOf(s.apiKey()), s.modelName()),
                k -> s.endpoints().size() == 1
                        ? new OpenAiEndpoint(s.endpoints().getFirst(), s.apiKey(), s.modelName(), TIMEOUT, 6, Duration.ofSeconds(1))
                        : EndpointPool.of(s.endpoints(), s.apiKey(), s.modelName(), TIMEOUT));
    }
}
