package io.foldin.stream.kafka;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A real single-node Kafka (KRaft, combined broker + controller) running inside this JVM, for
 * {@code serve} without {@code --bootstrap-servers} and for tests. Kafka has no public embedded-broker API;
 * this drives {@link KafkaRaftServer} the way {@code kafka-storage.sh format} + {@code kafka.Kafka} would.
 *
 * <p>The log directory is formatted once (fresh cluster id); later starts on the same directory reuse its
 * {@code meta.properties}, so topics, records and committed offsets survive a restart. The broker listens on
 * 127.0.0.1 only. Start with {@link #start}; {@link #close} shuts it down cleanly (and wipes the directory
 * if configured). The directory is locked by the broker, so two instances cannot share one.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int NODE_ID = 1;
    private static final String HOST = "127.0.0.1";
    private static final String CLIENT_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    private final EmbeddedKafkaConfig config;
    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final String clusterId;
    private final long startupMillis;
    private boolean closed;

    private EmbeddedKafka(EmbeddedKafkaConfig config, KafkaRaftServer server, String bootstrapServers,
                          String clusterId, long startupMillis) {
        this.config = config;
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.clusterId = clusterId;
        this.startupMillis = startupMillis;
    }

    /**
     * Formats {@code config.dataDir()} if it has never been formatted, starts the broker and returns once it
     * is ready: {@link KafkaRaftServer#startup()} returns only after the broker has caught up with the
     * metadata log and been unfenced, so topics can be created and written right away.
     */
    public static EmbeddedKafka start(EmbeddedKafkaConfig config) {
        long t0 = System.nanoTime();
        Path dir = config.dataDir();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create Kafka data dir " + dir, e);
        }
        Optional<String> existing = storedClusterId(dir);
        String clusterId = existing.orElseGet(() -> format(dir));

        int clientPort = config.port() == 0 ? freePort() : config.port();
        // The controller port is part of the static voter list, so it has to be known before startup; with
        // kraft.version 0 the voters come from config on every start, so it may differ between restarts.
        int controllerPort = freePortOtherThan(clientPort);
        KafkaRaftServer server = new KafkaRaftServer(
                KafkaConfig.fromProps(brokerProperties(dir, clientPort, controllerPort), false), Time.SYSTEM);
        try {
            server.startup();
        } catch (RuntimeException e) {
            shutdownQuietly(server);
            throw new IllegalStateException("embedded Kafka failed to start in " + dir, e);
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        String bootstrap = HOST + ":" + clientPort;
        LOG.info("embedded kafka ready bootstrap_servers={} data_dir={} cluster_id={} formatted={} startup_ms={}",
                bootstrap, dir, clusterId, existing.isEmpty(), millis);
        return new EmbeddedKafka(config, server, bootstrap, clusterId, millis);
    }

    /** {@code host:port} for the clients' {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Cluster id from the directory's {@code meta.properties} (stable across restarts on the same dir). */
    public String clusterId() {
        return clusterId;
    }

    public EmbeddedKafkaConfig config() {
        return config;
    }

    /** Wall time of {@link #start}: format (first start only) + broker and controller startup until ready. */
    public long startupMillis() {
        return startupMillis;
    }

    /** Controlled shutdown, then waits for the broker threads to stop; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long t0 = System.nanoTime();
        shutdownQuietly(server);
        if (config.wipeOnClose()) {
            deleteRecursively(config.dataDir());
        }
        LOG.info("embedded kafka stopped data_dir={} wiped={} shutdown_ms={}",
                config.dataDir(), config.wipeOnClose(), (System.nanoTime() - t0) / 1_000_000);
    }

    private static void shutdownQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("embedded kafka shutdown failed", e);
        }
    }

    private static Optional<String> storedClusterId(Path dir) {
        try {
            return new MetaPropertiesEnsemble.Loader().addLogDirs(List.of(dir.toString())).load().clusterId();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read meta.properties in " + dir, e);
        }
    }

    /** What {@code kafka-storage.sh format -t <random uuid> -c server.properties} does; returns the cluster id. */
    private static String format(Path dir) {
        String clusterId = Uuid.randomUuid().toString();
        // The Formatter reports on a PrintStream (System.out by default); stdout belongs to the CLI's --json.
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(report, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(out)
                    .setNodeId(NODE_ID)
                    .setClusterId(clusterId)
                    .setDirectories(List.of(dir.toString()))
                    .setMetadataLogDirectory(dir.toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka data dir " + dir, e);
        }
        LOG.debug("formatted {}: {}", dir, report.toString(StandardCharsets.UTF_8).strip());
        return clusterId;
    }

    /** The broker's server.properties. Everything a single node needs differs from Kafka's 3-broker defaults. */
    private static Properties brokerProperties(Path dir, int clientPort, int controllerPort) {
        Properties p = new Properties();
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("process.roles", "broker,controller");
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", CLIENT_LISTENER);
        p.put("listeners", CLIENT_LISTENER + "://" + HOST + ":" + clientPort + ","
                + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", CLIENT_LISTENER + "://" + HOST + ":" + clientPort);
        p.put("listener.security.protocol.map", CLIENT_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("log.dirs", dir.toString());
        p.put("metadata.log.dir", dir.toString());

        // Internal topics default to replication 3 / min ISR 2 and would never become writable on one broker;
        // the transaction state log in particular is what exactly_once_v2 needs.
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        // 50 partitions each (the defaults) make the first group join / first transaction create 50 logs.
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.num.partitions", "1");

        // One member joins at a time here; the 3 s default delay only slows every Streams start.
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("group.streams.initial.rebalance.delay.ms", "0");
        // After a crash (kill -9) the restarted broker's registration is refused until the old one's session
        // expires: 9 s + retries with the defaults (measured 13.8 s to ready). Heartbeats stay in this process,
        // so a shorter session (6 missed beats) costs nothing and cuts that wait to ~3 s.
        p.put("broker.heartbeat.interval.ms", "500");
        p.put("broker.session.timeout.ms", "3000");
        // Topics are declared in Topics and created explicitly; a typo must not silently make a new topic.
        p.put("auto.create.topics.enable", "false");

        // Deleted segments linger for file.delete.delay.ms (60 s); low so deleted topics free disk quickly.
        p.put("file.delete.delay.ms", "1000");
        // 1 GiB segments are never rolled in a dev run, so retention and compaction would never apply.
        p.put("log.segment.bytes", Integer.toString(128 << 20));
        // The log cleaner allocates this buffer on the heap up front (128 MiB default); 32 MiB still
        // dedupes ~1.3M keys per pass, more than the factor topics hold.
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(32 << 20));
        // This broker shares the cores of the stream threads. Unthrottled, the cleaner compacted each rolled
        // 128 MiB changelog segment in a burst of a third of a core for 3 s, and at 50k events/s those bursts
        // were the seconds-long freshness stalls. Throttled (bytes read plus written), the same work is spread
        // out; 24 MB/s is well above the largest compacted topic's intake at that rate (item-stats' changelog,
        // ~6 MB/s measured on disk).
        p.put("log.cleaner.io.max.bytes.per.second", Integer.toString(24 << 20));
        return p;
    }

    /**
     * A free port other than {@code taken}: a port probed and released (the client port, when it was picked
     * here or by the caller the same way) is free again, and the OS may hand it out once more.
     */
    private static int freePortOtherThan(int taken) {
        int port = freePort();
        while (port == taken) {
            port = freePort();
        }
        return port;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + HOST, e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("could not wipe {}", dir, e);
        }
    }
}
