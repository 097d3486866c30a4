package r1j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import r1j.cli.store.ModelStoreException;
import r1j.engine.Engine;
import r1j.engine.EngineOptions;
import r1j.cli.chat.ContextSize;
import r1j.cli.store.BuiltInModel;
import r1j.cli.store.ModelResolver;
import r1j.cli.store.StoreConfig;
import r1j.model.ModelLoadException;
import r1j.server.R1jServer;
import r1j.server.ServerConfig;

/**
 * {@code r1j serve -m MODEL}: the OpenAI/DeepSeek-compatible API and the web chat page until Ctrl-C, which shuts
 * down gracefully (new requests refused, running ones given {@code --shutdown-grace} to finish, then cancelled).
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve a model over an OpenAI/DeepSeek-compatible HTTP API, with a web chat page at /.")
public final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL",
            description = "GGUF file or stored model name (default: the built-in tiny-r1)")
    String model;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to bind (default: ${DEFAULT-VALUE}; 0.0.0.0 for all)")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "TCP port (default: ${DEFAULT-VALUE}; 0 picks a free one)")
    int port;

    @Option(names = "--api-key", paramLabel = "KEY", description = "require 'Authorization: Bearer KEY' on /v1 and /metrics")
    String apiKey;

    @Option(names = "--api-key-file", paramLabel = "FILE", description = "read the API key from the first line of FILE")
    Path apiKeyFile;

    @Option(names = {"-np", "--parallel"}, defaultValue = "4", paramLabel = "N",
            description = "sequences generated at once: KV-cache slots (default: ${DEFAULT-VALUE})")
    int parallel;

    @Mixin
    KvTypeOption kvType = new KvTypeOption();

    @Option(names = {"-c", "--ctx-size"}, paramLabel = "N",
            description = "tokens per slot, prompt and answer (default: the model's, at most " + SLOT_CONTEXT_CAP
                    + "; 0 = the model's)")
    Integer ctxSize;

    /** Default tokens per slot: several slots of a 131072-token model would not fit in memory. */
    static final int SLOT_CONTEXT_CAP = 4096;

    @Option(names = "--queue", defaultValue = "64", paramLabel = "N",
            description = "requests that may wait for a slot before 429 (default: ${DEFAULT-VALUE})")
    int queue;

    @Option(names = {"-t", "--threads"}, defaultValue = "0", paramLabel = "N", description = "compute threads (default: one per core)")
    int threads;

    @Option(names = "--alias", paramLabel = "NAME", description = "model id in the API (default: the file name without .gguf)")
    String alias;

    @Option(names = "--max-body", defaultValue = "8388608", paramLabel = "BYTES", description = "largest request body (default: ${DEFAULT-VALUE})")
    int maxBody;

    @Option(names = "--shutdown-grace", defaultValue = "10", paramLabel = "SECONDS",
            description = "on Ctrl-C, how long running requests may finish (default: ${DEFAULT-VALUE})")
    int shutdownGrace;

    @Option(names = "--tls-cert", paramLabel = "PEM",
            description = "serve HTTPS with this certificate chain (PEM, leaf first); needs --tls-key")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM",
            description = "the certificate's private key (unencrypted PKCS#8 PEM, -----BEGIN PRIVATE KEY-----)")
    Path tlsKey;

    /** Counted down to stop serving (tests); Ctrl-C goes through the shutdown hook instead. */
    final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String key;
        ServerConfig config;
        EngineOptions options;
        Path file;
        try {
            key = apiKey();
            file = model != null ? LogitsCommand.resolveModel(model)
                    : new ModelResolver(StoreConfig.fromSystem().store()).locateDefault();
            String id = alias != null ? alias
                    : model == null ? BuiltInModel.NAME
                    : file.getFileName().toString().replaceFirst("(?i)\\.gguf$", "");
            config = ServerConfig.defaults(id).withHost(host).withPort(port).withApiKey(key).withMaxBodyBytes(maxBody)
                    .withShutdownGrace(Duration.ofSeconds(shutdownGrace)).withTls(tlsCert, tlsKey);
            options = EngineOptions.defaults().withParallel(parallel).withContextSize(ContextSize.choose(file, ctxSize, SLOT_CONTEXT_CAP)).withMaxQueue(queue)
                    .withThreads(threads).withKvCacheType(kvType.type());
        } catch (IllegalArgumentException | IOException | ModelStoreException e) {
            err.println("r1j serve: " + e.getMessage());
            return 2;
        }
        Engine engine;
        R1jServer server;
        try {
            engine = Engine.load(file, options);
        } catch (IOException | ModelLoadException | IllegalArgumentException e) {
            err.println("r1j serve: cannot load " + file + ": " + e.getMessage());
            return 1;
        }
        try {
            server = R1jServer.start(engine, config);
        } catch (IllegalArgumentException e) {
            engine.close();
            err.println("r1j serve: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            engine.close();
            err.println("r1j serve: cannot listen on " + host + ":" + port + ": " + e.getMessage()
                    + " (is the port in use? pass --port)");
            return 1;
        }
        Thread hook = new Thread(() -> shutdown(server, err), "r1j-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.printf("r1j serving %s (%d slots x %d tokens) on %s%s%n", config.modelId(), parallel,
                engine.contextSize(), server.baseUrl(), key == null ? "" : " (API key required)");
        out.flush();
        try {
            stop.await();
        } finally {
            Runtime.getRuntime().removeShutdownHook(hook);
            shutdown(server, err);
        }
        return 0;
    }

    private static void shutdown(R1jServer server, PrintWriter err) {
        try {
            server.shutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("r1j serve: interrupted while shutting down");
        }
    }

    private String apiKey() throws IOException {
        if (apiKey != null && apiKeyFile != null) {
            throw new IllegalArgumentException("give --api-key or --api-key-file, not both");
        }
        if (apiKeyFile == null) {
            return apiKey;
        }
        String first = Files.readAllLines(apiKeyFile, StandardCharsets.UTF_8).stream().findFirst().orElse("").strip();
        if (first.isEmpty()) {
            throw new IllegalArgumentException("the API key file " + apiKeyFile + " is empty");
        }
        return first;
    }
}
