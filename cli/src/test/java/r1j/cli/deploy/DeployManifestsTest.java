package r1j.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import picocli.CommandLine;
import r1j.engine.Engine;
import r1j.engine.EngineOptions;
import r1j.model.GoldenModels;
import r1j.server.R1jServer;
import r1j.server.ServerConfig;
import r1j.cli.ServeCommand;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kubernetes manifests in {@code deploy/kubernetes} (no Kubernetes schema validator runs without a cluster
 * client, so the fields that matter are parsed and checked): the container's arguments are
 * options {@code r1j serve} really has, the probes hit the server's real paths and port, the pod outlives the
 * drain, and the autoscaler reads a metric the server exports.
 */
class DeployManifestsTest {

    private static final Path DIR = Path.of("../deploy/kubernetes");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void kustomization_listsEveryManifest_andEachHasKindAndName() throws IOException {
        JsonNode k = read("kustomization.yaml");
        List<String> listed = new ArrayList<>();
        k.get("resources").forEach(r -> listed.add(r.asText()));
        try (var files = Files.list(DIR)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("kustomization.yaml")))
                    .containsExactlyInAnyOrderElementsOf(listed);
        }
        for (String f : listed) {
            JsonNode m = read(f);
            assertThat(m.path("apiVersion").asText()).as(f).isNotEmpty();
            assertThat(m.path("kind").asText()).as(f).isNotEmpty();
            assertThat(m.path("metadata").path("name").asText()).as(f).isNotEmpty();
        }
    }

    @Test
    void deployment_argsAreServeOptions_probesHitReadyAndHealth_onTheServedPort() throws IOException {
        JsonNode pod = read("deployment.yaml").at("/spec/template/spec");
        JsonNode c = pod.at("/containers/0");
        List<String> args = new ArrayList<>();
        c.get("args").forEach(a -> args.add(a.asText()));
        assertThat(args.getFirst()).isEqualTo("serve");
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs(args.subList(1, args.size()).toArray(String[]::new)); // throws on an unknown option

        String port = args.get(args.indexOf("--port") + 1);
        assertThat(args.get(args.indexOf("--host") + 1)).isEqualTo("0.0.0.0");
        assertThat(c.at("/ports/0/containerPort").asText()).isEqualTo(port);
        String portName = c.at("/ports/0/name").asText();
        assertThat(c.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/ready");
        assertThat(c.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/health");
        for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
            assertThat(c.at("/" + probe + "/httpGet/port").asText()).as(probe).isIn(port, portName);
        }
        int grace = Integer.parseInt(args.get(args.indexOf("--shutdown-grace") + 1));
        assertThat(pod.get("terminationGracePeriodSeconds").asInt()).isGreaterThan(grace);
        assertThat(c.at("/resources/requests/cpu").asText()).isNotEmpty();
        assertThat(c.at("/resources/requests/memory").asText()).isNotEmpty();
        assertThat(c.at("/volumeMounts/0/mountPath").asText() + "/model.gguf").isEqualTo(args.get(args.indexOf("-m") + 1));

        JsonNode service = read("service.yaml");
        assertThat(service.at("/spec/ports/0/targetPort").asText()).isIn(port, portName);
        assertThat(service.at("/spec/selector")).isEqualTo(read("deployment.yaml").at("/spec/template/metadata/labels"));
    }

    @Test
    void autoscaler_targetsTheDeployment_onAGaugeTheServerExports() throws Exception {
        JsonNode hpa = read("hpa.yaml");
        assertThat(hpa.at("/spec/scaleTargetRef/name").asText()).isEqualTo(read("deployment.yaml").at("/metadata/name").asText());
        String metric = hpa.at("/spec/metrics/0/pods/metric/name").asText();
        try (Engine engine = Engine.load(GoldenModels.model("qwen2-tiny", "Q8_0"), EngineOptions.defaults().withContextSize(256));
             R1jServer server = R1jServer.start(engine, ServerConfig.defaults("golden").withPort(0))) {
            String scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(scrape.lines()).as("a gauge line of %s in /metrics", metric).anyMatch(l -> l.startsWith(metric + " "));
        }
    }

    private static JsonNode read(String name) throws IOException {
        return YAML.readTree(DIR.resolve(name).toFile());
    }
}
