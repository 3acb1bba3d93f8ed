package io.foldin.cli;

import io.foldin.serve.FoldinService;
import io.foldin.serve.ServiceConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code serve}: the streaming job and the HTTP API; see {@link FoldinService}. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        exitCodeListHeading = Usage.HEADING,
        exitCodeList = {"0:Stopped by SIGTERM or Ctrl-C (a clean shutdown).", Usage.FAILED, Usage.BAD_USAGE},
        description = {"Run foldin: the Kafka Streams fold-in, periodic sweeps and the HTTP API.",
            // one element a paragraph: picocli wraps each on its own
            "Without --bootstrap-servers it starts a single-node KRaft broker in this JVM and, on first start, "
                    + "loads the bundled MovieLens ml-latest-small through Kafka.",
            "Settings (later wins): defaults, --config FILE (properties), FOLDIN_* environment variables "
                    + "(FOLDIN_HTTP_PORT for http.port), flags. --set KEY=VALUE sets any of them; the keys are "
                    + "listed in README.md."})
public final class ServeCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Join this Kafka cluster instead of starting an embedded broker.")
    String bootstrapServers;

    @Option(names = "--http-port", description = "HTTP port (default 8080).")
    Integer httpPort;

    @Option(names = "--kafka-port", description = "Port of the embedded broker (default 9092).")
    Integer kafkaPort;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Embedded broker's log directory.")
    Path dataDir;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Kafka Streams state (RocksDB) directory.")
    Path stateDir;

    @Option(names = "--guarantee", description = "at_least_once (default) or exactly_once_v2.")
    String guarantee;

    @Option(names = "--sweep-interval", paramLabel = "MS", description = "Full sweep every MS milliseconds (0: off).")
    Long sweepIntervalMs;

    @Option(names = "--sweep-events", paramLabel = "N", description = "Full sweep every N events (0: off).")
    Long sweepEvents;

    @Option(names = "--no-sample", description = "Do not load the bundled sample into an empty embedded broker.")
    boolean noSample;

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file of settings.")
    Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Any setting, e.g. --set sweep.holdout=0.02.")
    Map<String, String> set = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        Map<String, String> flags = new LinkedHashMap<>(set);
        put(flags, "bootstrap.servers", bootstrapServers);
        put(flags, "http.port", httpPort);
        put(flags, "kafka.port", kafkaPort);
        put(flags, "kafka.data.dir", dataDir);
        put(flags, "state.dir", stateDir);
        put(flags, "processing.guarantee", guarantee);
        put(flags, "sweep.every.ms", sweepIntervalMs);
        put(flags, "sweep.every.events", sweepEvents);
        if (noSample) {
            flags.put("sample.load", "false");
        }
        // every setting, ports included, is checked before the broker starts
        ServiceConfig config = Usage.check(spec, () -> {
            try {
                return ServiceConfig.load(configFile, System.getenv(), flags);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        checkFree(config.httpHost(), config.httpPort(), "HTTP", "--http-port");
        if (config.bootstrapServers() == null) {
            checkFree("127.0.0.1", config.kafkaPort(), "embedded Kafka", "--kafka-port");
        }
        FoldinService service = FoldinService.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "serve-stop"));
        System.err.println("foldin serving; Kafka at " + service.brokers() + "; Ctrl-C stops");
        stopped.await();
        return 0;
    }

    /**
     * Refuses a port another process listens on before anything starts, so that the broker need not start and
     * stop again for nothing. (Racy by nature: a bind failure later is reported the same way, by the HTTP API.)
     */
    private static void checkFree(String host, int port, String what, String option) {
        if (port == 0) {
            return;
        }
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new java.net.InetSocketAddress(host, port));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot listen for " + what + " on " + host + ":" + port + " ("
                    + e.getMessage() + "): another process may use it; choose another port with " + option, e);
        }
    }

    private static void put(Map<String, String> flags, String key, Object value) {
        if (value != null) {
            flags.put(key, value.toString());
        }
    }
}
