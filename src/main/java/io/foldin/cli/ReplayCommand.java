package io.foldin.cli;

import io.foldin.data.Catalog;
import io.foldin.data.MoviesReader;
import io.foldin.data.RatingLog;
import io.foldin.stream.kafka.Topics;
import io.foldin.stream.replay.CatalogProducer;
import io.foldin.stream.replay.ReplayConfig;
import io.foldin.stream.replay.ReplayReport;
import io.foldin.stream.replay.Replayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code replay}: produces a rating file to Kafka in timestamp order; the work is in {@link Replayer}. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        exitCodeListHeading = Usage.HEADING,
        exitCodeList = {"0:Every event was delivered.", "1:It could not start (no cluster, a missing topic, bad input).",
            Usage.BAD_USAGE, "3:A delivery failed.", "130:Interrupted (Ctrl-C; 143 on SIGTERM)."},
        description = {"Produce a ratings file to Kafka in timestamp order.",
            "Ties keep file order; key = userId, value = {\"userId\":..,\"itemId\":..,\"rating\":..,\"timestamp\":..}.",
            "With --movies, the catalogue goes to topic items first (acknowledged before any rating).",
            "Needs a running cluster. Nothing waits on it longer than --delivery-timeout-ms: an unreachable",
            "cluster ends the replay with a report and exit code 3 (or 1 if it cannot start).",
            "Ctrl-C stops sending, gives the events in flight up to 10 s, prints the report and exits with 130."})
public final class ReplayCommand implements Callable<Integer> {
    // 2 is picocli's exit code for bad options
    static final int EXIT_DELIVERY_FAILED = 3;
    /** Most the topic checks before sending wait for an answer (less with a shorter delivery timeout). */
    private static final long ADMIN_TIMEOUT_MS = 15_000;

    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data = new DataOptions();

    @Option(names = "--ratings", required = true, paramLabel = "FILE",
            description = "Ratings: MovieLens CSV, .dat, u.data, .gz of those, or a foldin .bin.")
    Path ratings;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Kafka to produce to (required; replay never starts a broker of its own).")
    String bootstrapServers;

    @Option(names = "--topic", defaultValue = Topics.RATINGS, description = "Target topic (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--movies", paramLabel = "FILE",
            description = "Produce this catalogue (MovieLens movies.csv or movies.dat) to topic items before the "
                    + "ratings, and wait until every item is acknowledged.")
    Path movies;

    @Option(names = "--users-out", paramLabel = "FILE",
            description = "Write the distinct user ids of the replayed events to FILE, one per line, ascending "
                    + "(load-tests/mix.sh --users-file draws request users from it).")
    Path usersOut;

    @Option(names = "--counts-out", paramLabel = "FILE",
            description = "Write, for the replayed events, the ratings the service should then store per user and "
                    + "per item (distinct (user, item) pairs; the last rating of a pair is the one kept): lines "
                    + "`user ID N`, then `item ID N`, ascending by id. A checker compares them with GET /users/{id} "
                    + "and GET /items/{id} (load-tests/crash.sh).")
    Path countsOut;

    @Option(names = "--rate", defaultValue = "0", paramLabel = "EVENTS_PER_S",
            description = "Target events per second; 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N",
            description = "Produce only the first N events in timestamp order; 0 = all (default: ${DEFAULT-VALUE}).")
    long limit;

    @Option(names = "--create-topics",
            description = "Create the declared foldin topics that are missing (with --partitions, --replication-factor).")
    boolean createTopics;

    @Option(names = "--partitions", defaultValue = "" + Topics.DEFAULT_PARTITIONS,
            description = "Partitions of created topics (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--replication-factor", defaultValue = "1",
            description = "Replication factor of created topics; 3 on a real cluster (default: ${DEFAULT-VALUE}).")
    short replicationFactor;

    @Option(names = "--producer-property", paramLabel = "KEY=VALUE",
            description = "Kafka producer config over the tuned defaults (acks=all, idempotent, linger.ms=20, "
                    + "batch.size=262144), e.g. compression.type=lz4. Repeatable.")
    Map<String, String> producerProperties = new LinkedHashMap<>();

    @Option(names = "--delivery-timeout-ms", paramLabel = "MS",
            defaultValue = "" + ReplayConfig.DEFAULT_DELIVERY_TIMEOUT_MS,
            description = "Longest an event may wait for its acknowledgement, retries included, and a send for "
                    + "metadata or buffer space; the first event past it ends the replay (exit code 3). Sets the "
                    + "producer's delivery.timeout.ms and max.block.ms, and request.timeout.ms to fit "
                    + "(default: ${DEFAULT-VALUE}).")
    long deliveryTimeoutMs;

    @Option(names = "--json", description = "Print one JSON object with the figures on stdout.")
    boolean json;

    @Option(names = "--if-empty", description = "Replay only into an empty ratings topic (no record ever written): "
            + "otherwise produce nothing (not --movies either) and exit 0. For a one-shot loader that runs on "
            + "every start of a cluster, such as the sample service in docker-compose.yml.")
    boolean ifEmpty;

    @Override
    public Integer call() throws Exception {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new ParameterException(spec.commandLine(), "replay needs a running Kafka cluster: pass "
                    + "--bootstrap-servers HOST:PORT (a local one: `foldin serve` prints its bootstrap servers)");
        }
        ReplayConfig config;
        try {
            config = new ReplayConfig(bootstrapServers, topic, rate, limit, producerProperties,
                    Duration.ofMillis(deliveryTimeoutMs));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        Usage.check(spec, () -> new Topics(partitions, replicationFactor)); // before any connection
        Progress progress = new Progress("replay");
        prepareTopics();
        if (ifEmpty) {
            long held = recordsEverWritten();
            if (held > 0) {
                progress.line("%s at %s already holds %,d records: nothing replayed (--if-empty)", topic,
                        bootstrapServers, held);
                if (json) {
                    System.out.println("{\"skipped\":\"topic_not_empty\",\"topic\":\"" + topic + "\",\"records\":"
                            + held + "}");
                }
                return 0;
            }
        }

        CatalogProducer.Report items = null;
        if (movies != null) {
            Catalog catalog = MoviesReader.read(movies);
            try (Producer<byte[], byte[]> p = new KafkaProducer<>(CatalogProducer.producerConfig(bootstrapServers,
                    producerProperties, config.deliveryTimeout()))) {
                items = CatalogProducer.produce(p, Topics.ITEMS, catalog);
            }
            progress.line("%,d of %,d items from %s to %s in %.1f s, %,d errors", items.delivered(), catalog.size(),
                    movies, Topics.ITEMS, items.seconds(), items.errors());
            if (items.errors() > 0) {
                System.err.println("replay: first item error: " + items.firstError());
                return EXIT_DELIVERY_FAILED;
            }
        }

        RatingLog log = data.load(ratings).log();
        int[] order = log.timeOrder();
        progress.line("read %,d ratings from %s", log.size(), ratings);

        Replayer replayer = new Replayer(config);
        ProgressBar bar = new ProgressBar("replay", System.err, ProgressBar.stderrIsTerminal());
        ReplayReport report;
        boolean interrupted;
        try (ReplayInterrupt interrupt = new ReplayInterrupt(replayer)) {
            report = replayer.run(log, order, bar);
            bar.finish();
            interrupted = interrupt.fired();
            if (usersOut != null) {
                writeUsers(log, order, report.attempted());
            }
            if (countsOut != null) {
                ReplayCounts.write(log, order, report.attempted(), countsOut);
            }
            new ReplayOutput(topic, rate, bootstrapServers, deliveryTimeoutMs).print(report, items, interrupted, json);
        }
        if (interrupted) {
            return ReplayInterrupt.EXIT_INTERRUPTED;
        }
        return report.errors() > 0 ? EXIT_DELIVERY_FAILED : 0;
    }

    /**
     * Checks that the topics exist (creating the declared ones first with {@code --create-topics}), then waits
     * until each partition's leader serves ({@link Topics#awaitLeaders}): right after a topic is created, the
     * first batch sent to a partition whose leader is still being elected was lost. Without the existence
     * check, a missing topic on a broker that does not auto-create makes every send block for max.block.ms
     * (60 s) and then fail; an unreachable broker likewise.
     */
    private void prepareTopics() {
        List<String> topics = movies == null ? List.of(topic) : List.of(Topics.ITEMS, topic);
        int timeoutMs = (int) Math.min(ADMIN_TIMEOUT_MS, deliveryTimeoutMs);
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs));
        try {
            Topics declared = new Topics(partitions, replicationFactor);
            if (createTopics) {
                declared.createMissing(admin);
            }
            for (String t : topics) {
                // a topic created just now may not be in the metadata yet; awaitLeaders waits for it
                if (!(createTopics && declared.specs().stream().anyMatch(s -> s.name().equals(t)))) {
                    describe(admin, t, timeoutMs);
                }
            }
            Topics.awaitLeaders(admin, topics, Duration.ofMillis(timeoutMs));
        } catch (IllegalStateException e) {
            // Topics.createMissing reports an unreachable cluster this way, awaitLeaders a partition without leader
            if (causedByTimeout(e)) {
                throw unreachable(timeoutMs);
            }
            throw new IllegalArgumentException(e.getMessage() + " at " + bootstrapServers
                    + " (check that its brokers run and are reachable from here)", e);
        } finally {
            // bounded: the calls above have ended, and a cluster that is gone must not hold the exit
            admin.close(Duration.ofMillis(timeoutMs));
        }
    }

    /** The sum of the topic's end offsets: records ever written to it, whatever retention has deleted since. */
    private long recordsEverWritten() throws Exception {
        int timeoutMs = (int) Math.min(ADMIN_TIMEOUT_MS, deliveryTimeoutMs);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs))) {
            var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(timeoutMs, TimeUnit.MILLISECONDS)
                    .get(topic).partitions();
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest =
                    new LinkedHashMap<>();
            for (var p : partitions) {
                latest.put(new org.apache.kafka.common.TopicPartition(topic, p.partition()),
                        org.apache.kafka.clients.admin.OffsetSpec.latest());
            }
            long sum = 0;
            for (var o : admin.listOffsets(latest).all().get(timeoutMs, TimeUnit.MILLISECONDS).values()) {
                sum += o.offset();
            }
            return sum;
        }
    }

    private void describe(Admin admin, String name, int timeoutMs) {
        try {
            admin.describeTopics(List.of(name)).allTopicNames().get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new IllegalArgumentException("topic " + name + " does not exist on " + bootstrapServers
                        + (createTopics ? " (--create-topics creates only the declared foldin topics)"
                        : "; pass --create-topics to create it"));
            }
            if (causedByTimeout(e)) {
                throw unreachable(timeoutMs);
            }
            throw new IllegalArgumentException("cannot describe topic " + name + " on " + bootstrapServers + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw unreachable(timeoutMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking topic " + name, e);
        }
    }

    /** One line for the commonest failure to start: nothing answers at the bootstrap servers. */
    private IllegalArgumentException unreachable(int timeoutMs) {
        return new IllegalArgumentException("no answer from Kafka at " + bootstrapServers + " within "
                + timeoutMs / 1000.0 + " s: check that a broker runs there and that its advertised listeners are "
                + "reachable from here");
    }

    private static boolean causedByTimeout(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof TimeoutException || c instanceof org.apache.kafka.common.errors.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** The users of the first {@code n} events in replay order, distinct and ascending, one per line. */
    private void writeUsers(RatingLog log, int[] order, long n) throws IOException {
        java.util.BitSet seen = new java.util.BitSet(log.users().size());
        for (int i = 0; i < n; i++) {
            seen.set(log.user(order[i]));
        }
        int[] ids = seen.stream().map(u -> log.users().idOf(u)).sorted().toArray();
        StringBuilder text = new StringBuilder(ids.length * 7);
        for (int id : ids) {
            text.append(id).append('\n');
        }
        Files.writeString(usersOut, text);
    }
}
