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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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
        description = {"Produce a ratings file to Kafka in timestamp order (stable: ties keep file order),",
            "key = userId, value = {\"userId\":..,\"itemId\":..,\"rating\":..,\"timestamp\":..}.",
            "With --movies, the catalogue goes to topic items first (acknowledged before any rating).",
            "Needs a running cluster. Ctrl-C stops after flushing and prints the report.",
            "Exit code 0 when every event was delivered, 3 when any failed, 1 when it could not start, 2 on bad options."})
public final class ReplayCommand implements Callable<Integer> {
    // 2 is picocli's exit code for bad options
    static final int EXIT_DELIVERY_FAILED = 3;
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

    @Option(names = "--json", description = "Print one JSON object with the figures on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new ParameterException(spec.commandLine(), "replay needs a running Kafka cluster: pass "
                    + "--bootstrap-servers HOST:PORT (a local one: `foldin serve` prints its bootstrap servers)");
        }
        ReplayConfig config;
        try {
            config = new ReplayConfig(bootstrapServers, topic, rate, limit, producerProperties);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        Progress progress = new Progress("replay");
        prepareTopics();

        CatalogProducer.Report items = null;
        if (movies != null) {
            Catalog catalog = MoviesReader.read(movies);
            try (Producer<byte[], byte[]> p = new KafkaProducer<>(
                    CatalogProducer.producerConfig(bootstrapServers, producerProperties))) {
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
        CountDownLatch reported = new CountDownLatch(1);
        // Ctrl-C: the JVM exits once the hooks return, so the hook waits until the report is out
        Thread hook = new Thread(() -> {
            replayer.stop();
            awaitQuietly(reported);
        }, "replay-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        ReplayReport report;
        try {
            report = replayer.run(log, order, bar);
            bar.finish();
            if (usersOut != null) {
                writeUsers(log, order, report.attempted());
            }
            print(report, items);
        } finally {
            reported.countDown();
            removeQuietly(hook);
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
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT_MS,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT_MS))) {
            Topics declared = new Topics(partitions, replicationFactor);
            if (createTopics) {
                declared.createMissing(admin);
            }
            for (String t : topics) {
                // a topic created just now may not be in the metadata yet; awaitLeaders waits for it
                if (!(createTopics && declared.specs().stream().anyMatch(s -> s.name().equals(t)))) {
                    describe(admin, t);
                }
            }
            Topics.awaitLeaders(admin, topics, java.time.Duration.ofMillis(ADMIN_TIMEOUT_MS));
        } catch (IllegalStateException e) {
            // Topics.createMissing reports an unreachable cluster this way, awaitLeaders a partition without leader
            throw new IllegalArgumentException(e.getMessage() + " at " + bootstrapServers, e);
        }
    }

    private void describe(Admin admin, String name) {
        try {
            admin.describeTopics(List.of(name)).allTopicNames().get(ADMIN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new IllegalArgumentException("topic " + name + " does not exist on " + bootstrapServers
                        + (createTopics ? " (--create-topics creates only the declared foldin topics)"
                        : "; pass --create-topics to create it"));
            }
            throw new IllegalArgumentException("cannot describe topic " + name + " on " + bootstrapServers + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalArgumentException("no answer from Kafka at " + bootstrapServers + " within "
                    + ADMIN_TIMEOUT_MS / 1000 + " s (is it running?)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking topic " + name, e);
        }
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

    private void print(ReplayReport r, CatalogProducer.Report items) {
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("events", r.delivered());
            m.put("attempted", r.attempted());
            m.put("seconds", r.seconds());
            m.put("events_per_second", r.eventsPerSecond());
            m.put("bytes", r.bytes());
            m.put("errors", r.errors());
            m.put("stopped", r.stopped());
            m.put("first_error", r.firstError());
            m.put("topic", topic);
            m.put("rate", rate);
            if (items != null) {
                m.put("items", items.delivered());
                m.put("items_seconds", items.seconds());
            }
            System.out.println(Json.write(m));
        } else {
            System.out.printf(Locale.ROOT, "%,d events to %s in %.1f s (%,.0f ev/s, %,d bytes), %,d errors%s%n",
                    r.delivered(), topic, r.seconds(), r.eventsPerSecond(), r.bytes(), r.errors(),
                    r.stopped() ? ", stopped early" : "");
        }
        System.out.flush();
        if (r.firstError() != null) {
            System.err.println("replay: first error: " + r.firstError());
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeQuietly(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down (Ctrl-C): the hook is running and returns once the latch opens
        }
    }
}
