package io.foldin.serve;

import io.foldin.model.AlsParams;
import io.foldin.model.ImplicitParams;
import io.foldin.stream.topology.StreamConfig;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The configuration of {@code serve}, immutable, built in one place from (later wins) defaults, a
 * properties file, {@code FOLDIN_*} environment variables and command-line flags. Keys are dotted
 * ({@code http.port}); the environment form is upper case with underscores ({@code FOLDIN_HTTP_PORT}).
 *
 * @param bootstrapServers the cluster to join, or null to start an embedded broker
 * @param httpHost         the address the HTTP API binds
 * @param advertisedHost   the host other instances reach this one's HTTP API at: Streams' {@code application.server}
 *                         with {@code httpPort}, which {@code GET /users/...} forwards to ({@link #advertisedHost(String, String)})
 * @param loadSample       produce the bundled ml-latest-small to an empty embedded broker at start
 */
public record ServiceConfig(String bootstrapServers, int kafkaPort, Path kafkaDataDir, String httpHost,
                            String advertisedHost, int httpPort,
                            boolean loadSample, int sampleSweepIterations, long progressIntervalMs, int partitions, short replicationFactor,
                            StreamConfig stream,
                            Map<String, String> settings) {

    public static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        String tmp = System.getProperty("java.io.tmpdir");
        Map<String, String> d = new LinkedHashMap<>();
        d.put("bootstrap.servers", "");
        d.put("kafka.port", "9092");
        d.put("kafka.data.dir", Path.of(tmp, "foldin", "kafka").toString());
        d.put("state.dir", Path.of(tmp, "foldin", "streams").toString());
        d.put("application.id", "foldin");
        d.put("http.host", "127.0.0.1");
        // Empty: http.host, unless that is a wildcard (0.0.0.0, ::), then this machine's hostname.
        d.put("http.advertised.host", "");
        d.put("http.port", "8080");
        d.put("http.max.body.bytes", Integer.toString(64 << 10));
        d.put("http.max.k", "1000");
        d.put("http.max.anonymous.ratings", "1000");
        d.put("http.event.loops", Integer.toString(Runtime.getRuntime().availableProcessors()));
        d.put("http.forward.timeout.ms", "2000");
        // One scan thread per two cores: a scan is bound by memory bandwidth, and fewer threads make bigger batches.
        d.put("http.scan.threads", Integer.toString(Math.max(1, Runtime.getRuntime().availableProcessors() / 2)));
        d.put("http.scan.max.batch", "16");
        // From this many items (rows of the item table) recommendations are searched in the item index, below it
        // by the full scan, which is cheaper there (load-tests/RESULTS.md, "Item index"); 2147483647: always scan.
        d.put("http.index.min.items", "100000");
        // Cells an index search visits at most once it holds k rows; 2147483647 (the default): no limit, the bound
        // alone stops it and lists are exact (PartitionIndex.DEFAULT_PROBES).
        d.put("http.index.probes", Integer.toString(io.foldin.serve.rank.PartitionIndex.DEFAULT_PROBES));
        // Empty: a random token is generated at start and written (owner-only) under state.dir.
        d.put("admin.token", "");
        d.put("sample.load", "true");
        d.put("sample.sweep.iterations", "15");
        d.put("progress.interval.ms", "10000");
        d.put("partitions", "4");
        d.put("replication.factor", "1");
        d.put("factors", "20");
        d.put("lambda", "1.0");
        d.put("tau", "15.0");
        d.put("gamma", "3.0");
        d.put("initial.mean", "3.5");
        d.put("processing.guarantee", StreamConfig.AT_LEAST_ONCE);
        d.put("commit.interval.ms", "1000");
        d.put("publish.interval.ms", "50");
        d.put("stats.cache.entries", "20000");
        d.put("stream.threads", "2");
        // 0: a single instance gains nothing from a standby (it would be on the same machine); a cluster sets 1
        // (docker-compose.yml), which cuts failover from a changelog restore to a promotion (load-tests/RESULTS.md).
        d.put("num.standby.replicas", "0");
        d.put("sweep.every.events", "0");
        d.put("sweep.every.ms", "600000");
        d.put("sweep.first.after.ratings", "10000");
        d.put("sweep.iterations", "10");
        d.put("sweep.warm", "false");
        d.put("sweep.timeout.ms", Long.toString(StreamConfig.Sweep.DEFAULT_TIMEOUT_MS));
        d.put("sweep.holdout", "0.01");
        d.put("sweep.threads", Integer.toString(Runtime.getRuntime().availableProcessors()));
        // A JSON file with an array of experiment definitions, written to topic experiments at start; empty: none.
        d.put("experiments", "");
        d.put("experiments.window.ms", Long.toString(io.foldin.experiment.ExperimentBook.DEFAULT_WINDOW_MS));
        // The live implicit-ALS model (docs/design.md §1.9); its defaults are the offline ones.
        StreamConfig.Implicit implicit = StreamConfig.Implicit.DEFAULT;
        d.put("implicit.enabled", Boolean.toString(implicit.enabled()));
        d.put("implicit.factors", Integer.toString(implicit.params().factors()));
        d.put("implicit.alpha", Double.toString(implicit.params().alpha()));
        d.put("implicit.lambda", Double.toString(implicit.params().lambda()));
        d.put("implicit.threshold", Double.toString(implicit.threshold()));
        d.put("implicit.iterations", Integer.toString(implicit.iterations()));
        return Map.copyOf(d);
    }

    /**
     * @param file  properties file or null
     * @param env   the environment ({@code System.getenv()})
     * @param flags settings given on the command line, by key
     */
    public static ServiceConfig load(Path file, Map<String, String> env, Map<String, String> flags) throws IOException {
        Map<String, String> s = new LinkedHashMap<>(DEFAULTS);
        if (file != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            }
            for (String k : p.stringPropertyNames()) {
                s.put(known(k, "in " + file), p.getProperty(k).trim());
            }
        }
        for (String k : DEFAULTS.keySet()) {
            String v = env.get("FOLDIN_" + k.toUpperCase(Locale.ROOT).replace('.', '_'));
            if (v != null) {
                s.put(k, v.trim());
            }
        }
        for (Map.Entry<String, String> e : flags.entrySet()) {
            s.put(known(e.getKey(), "on the command line"), e.getValue());
        }
        return of(s);
    }

    private static String known(String key, String where) {
        if (!DEFAULTS.containsKey(key)) {
            throw new IllegalArgumentException("unknown setting " + key + " " + where + "; known: " + DEFAULTS.keySet());
        }
        return key;
    }

    static ServiceConfig of(Map<String, String> s) {
        String bootstrap = s.get("bootstrap.servers").isBlank() ? null : s.get("bootstrap.servers");
        AlsParams params = new AlsParams(integer(s, "factors"), number(s, "lambda"), number(s, "tau"), number(s, "gamma"));
        if (params.tau() <= 0 || params.gamma() <= 0) {
            throw new IllegalArgumentException("tau and gamma must be > 0: they keep every fold-in system positive definite");
        }
        StreamConfig.Sweep sweep = new StreamConfig.Sweep(longValue(s, "sweep.every.events"),
                longValue(s, "sweep.every.ms"), integer(s, "sweep.iterations"), number(s, "sweep.holdout"),
                integer(s, "sweep.threads"), bool(s, "sweep.warm"), longValue(s, "sweep.first.after.ratings"),
                longValue(s, "sweep.timeout.ms"));
        int standbys = integer(s, "num.standby.replicas");
        if (standbys < 0) {
            throw new IllegalArgumentException("num.standby.replicas must be >= 0, got " + standbys);
        }
        int httpPort = port(s, "http.port");
        String advertised = advertisedHost(s.get("http.host"), s.get("http.advertised.host"));
        StreamConfig stream = new StreamConfig(s.get("application.id"), bootstrap == null ? "" : bootstrap,
                Path.of(s.get("state.dir")), params, number(s, "initial.mean"), s.get("processing.guarantee"),
                integer(s, "commit.interval.ms"), integer(s, "stats.cache.entries"), integer(s, "stream.threads"), sweep,
                false, hostPort(advertised, httpPort), integer(s, "publish.interval.ms"))
                .withStandbyReplicas(standbys)
                .withImplicit(new StreamConfig.Implicit(bool(s, "implicit.enabled"),
                        new ImplicitParams(integer(s, "implicit.factors"), number(s, "implicit.alpha"),
                                number(s, "implicit.lambda")),
                        number(s, "implicit.threshold"), integer(s, "implicit.iterations")));
        ServiceConfig c = new ServiceConfig(bootstrap, port(s, "kafka.port"), Path.of(s.get("kafka.data.dir")),
                s.get("http.host"), advertised, httpPort, bool(s, "sample.load"),
                integer(s, "sample.sweep.iterations"), longValue(s, "progress.interval.ms"), integer(s, "partitions"),
                (short) integer(s, "replication.factor"), stream, Map.copyOf(s));
        c.experimentWindowMs();
        return c;
    }

    /** {@code experiments.window.ms}: how long after an exposure a rating of a shown item is an outcome. */
    public long experimentWindowMs() {
        long w = longValue(settings, "experiments.window.ms");
        if (w <= 0) {
            throw new IllegalArgumentException("experiments.window.ms must be > 0, got " + w);
        }
        return w;
    }

    /**
     * The same configuration listening on {@code port}: {@code serve} resolves {@code http.port=0} to a free port
     * before Streams starts, because the port is part of {@code application.server}.
     */
    public ServiceConfig withHttpPort(int port) {
        Map<String, String> s = new LinkedHashMap<>(settings);
        s.put("http.port", Integer.toString(port));
        return of(s);
    }

    /**
     * The host other instances forward to: {@code advertised} when set; else the bind host, unless that is a
     * wildcard address (which names no machine: forwarding to {@code 0.0.0.0:8080} reaches the forwarder
     * itself), then this machine's hostname as {@link InetAddress#getLocalHost()} gives it (in a container, the
     * container's hostname, which its network's DNS resolves).
     */
    static String advertisedHost(String bindHost, String advertised) {
        if (advertised != null && !advertised.isBlank()) {
            return advertised.trim();
        }
        if (!isWildcard(bindHost)) {
            return bindHost;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("http.host " + bindHost + " is a wildcard and this machine's hostname "
                    + "does not resolve (" + e.getMessage() + "): set http.advertised.host to the host other "
                    + "instances reach this one at");
        }
    }

    static boolean isWildcard(String host) {
        String h = host.trim();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.isEmpty() || h.equals("0.0.0.0") || h.equals("::") || h.matches("(0{0,4}:){2,7}0{0,4}");
    }

    private static String hostPort(String host, int port) {
        // Streams parses application.server as host:port; an IPv6 literal needs its brackets
        return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    /** The stream configuration once the brokers are known (the embedded one's address comes late). */
    public StreamConfig streamFor(String brokers) {
        return stream.withBootstrapServers(brokers);
    }

    private static boolean bool(Map<String, String> s, String k) {
        String v = s.get(k);
        if (!"true".equals(v) && !"false".equals(v)) {
            throw new IllegalArgumentException(k + " must be true or false, got '" + v + "'");
        }
        return Boolean.parseBoolean(v);
    }

    /** A TCP port, checked here so that a bad one is refused before anything starts. */
    private static int port(Map<String, String> s, String k) {
        int p = integer(s, k);
        if (p < 0 || p > 65_535) {
            throw new IllegalArgumentException(k + " must be a port in [0, 65535], got " + p);
        }
        return p;
    }

    private static int integer(Map<String, String> s, String k) {
        try {
            return Integer.parseInt(s.get(k));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(k + " must be an integer, got '" + s.get(k) + "'");
        }
    }

    private static long longValue(Map<String, String> s, String k) {
        try {
            return Long.parseLong(s.get(k));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(k + " must be an integer, got '" + s.get(k) + "'");
        }
    }

    private static double number(Map<String, String> s, String k) {
        try {
            return Double.parseDouble(s.get(k));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(k + " must be a number, got '" + s.get(k) + "'");
        }
    }
}
