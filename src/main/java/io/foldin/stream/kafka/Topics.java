package io.foldin.stream.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The application's Kafka topics: every name and topic config is declared here and nowhere else.
 * Kafka Streams' own internal topics (changelogs) are created by Streams and are not listed; the one repartition
 * topic, {@link #RATINGS_REKEYED}, is the topology's own and declared here like the others.
 *
 * <p>All keyed topics get the same partition count so that a user's or item's records, state and factors
 * stay co-partitioned (see docs/design.md §2.4).
 */
public final class Topics {

    /** Rating events, key userId (JSON, see schemas/). */
    public static final String RATINGS = "ratings";
    /**
     * Rating events that arrived on a partition other than their user's owner (a producer with another
     * partitioner, no key, or a key that is not the body's userId), re-keyed with the canonical
     * {@link io.foldin.stream.event.UserKey} and sent to the owner: the topology's own repartition topic.
     */
    public static final String RATINGS_REKEYED = "ratings-rekeyed";
    /**
     * Implicit-feedback events (JSON, schemas/interaction-event.schema.json), key userId in decimal like
     * {@link #RATINGS} and as many partitions: user task p reads partition p of both (docs/design.md §1.9).
     */
    public static final String INTERACTIONS = "interactions";
    /** Interaction events that arrived off their user's owner partition, re-keyed to it (as {@link #RATINGS_REKEYED}). */
    public static final String INTERACTIONS_REKEYED = "interactions-rekeyed";
    /** Implicit user side to implicit item side: pair-weight changes with the user's new x_u, key item partition. */
    public static final String IMPLICIT_ITEM_UPDATES = "implicit-item-updates";
    /** Latest implicit-ALS vector per user ({@code FactorRecord}, bias 0), key userId int32. */
    public static final String IMPLICIT_USER_FACTORS = "implicit-user-factors";
    /** Latest implicit-ALS vector per item ({@code FactorRecord}, bias 0), key itemId int32; every instance reads all. */
    public static final String IMPLICIT_ITEM_FACTORS = "implicit-item-factors";
    /** Each interaction's rank before its fold-in (prequential only): key userId int32, value itemId, rank int32. */
    public static final String IMPLICIT_PREDICTIONS = "implicit-predictions";
    /** Item metadata (title, genres), key itemId. */
    public static final String ITEMS = "items";
    /** Rejected rating events, original key and value, reason in a header. */
    public static final String RATINGS_DLQ = "ratings-dlq";
    /** User processor to item processor: the new user factors for an item's fold-in, key itemId. */
    public static final String ITEM_UPDATES = "item-updates";
    /** Latest factors and bias per user, key userId. */
    public static final String USER_FACTORS = "user-factors";
    /** Latest factors and bias per item, key itemId; every instance reads all of it. */
    public static final String ITEM_FACTORS = "item-factors";
    /** The current model epoch (μ, genre features, last sweep), one record under key "current". */
    public static final String MODEL = "model";
    /** Each event's prediction made before it was folded in, key userId (prequential benchmark). */
    public static final String PREDICTIONS = "predictions";

    /** A/B experiment definitions (JSON, schemas/openapi.yaml Experiment), key the experiment's name; a null deletes. */
    public static final String EXPERIMENTS = "experiments";
    /**
     * What a user in an experiment was shown (JSON, schemas/exposure.schema.json), key userId in decimal like
     * {@link #RATINGS} and as many partitions, so a user's exposures and ratings meet in one task.
     */
    public static final String EXPOSURES = "exposures";
    /** Per-variant outcome totals of each user partition ({@link io.foldin.experiment.VariantTotals}), key experiment|variant|partition. */
    public static final String EXPERIMENT_TOTALS = "experiment-totals";

    /** Gathered sweeps (docs/design.md §2.9): start, abort, heartbeat and request records, one partition. */
    public static final String SWEEP_CONTROL = "sweep-control";
    /** Gathered sweeps: each user partition's stored ratings, on their way to the leader. */
    public static final String SWEEP_DATA = "sweep-data";
    /** Gathered sweeps: the leader's new factors and item statistics, read by every instance. */
    public static final String SWEEP_RESULTS = "sweep-results";
    /** A gathered sweep's records matter for seconds; an hour leaves room to look at one by hand. */
    static final Duration SWEEP_RETENTION = Duration.ofHours(1);
    public static final int DEFAULT_PARTITIONS = 4;

    /**
     * Retention of {@link #RATINGS_REKEYED}. A record waits there only between the hop's write and its read, but
     * while the application is down the re-keyed ones wait as long as the outage: the offsets on {@code ratings}
     * already moved past them. So it keeps them as long as Kafka keeps {@code ratings} by default (7 days).
     */
    static final Duration REKEYED_RETENTION = Duration.ofDays(7);
    /** Segments of the compacted topics roll at this size (see {@link #compacted}). */
    private static final int COMPACTED_SEGMENT_BYTES = 64 << 20;
    private static final Duration CREATE_TIMEOUT = Duration.ofSeconds(30);

    /**
     * One topic: its name, what its key is, and its topic-level configs.
     *
     * @param key documentation only: which id the record key carries
     */
    public record Spec(String name, String key, int partitions, short replicationFactor, Map<String, String> configs) {
        public Spec {
            configs = Map.copyOf(configs);
        }

        public NewTopic toNewTopic() {
            return new NewTopic(name, partitions, replicationFactor).configs(configs);
        }
    }

    private final List<Spec> specs;

    /**
     * @param partitions        partitions of every keyed topic (not the dead-letter queue)
     * @param replicationFactor 1 on the embedded broker, 3 on a real cluster
     */
    public Topics(int partitions, short replicationFactor) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replicationFactor must be >= 1, got " + replicationFactor);
        }
        this.specs = List.of(
                new Spec(RATINGS, "userId", partitions, replicationFactor, Map.of()),
                // As many partitions as ratings: its partition of a user is the one that user's task reads.
                new Spec(RATINGS_REKEYED, "userId (canonical key)", partitions, replicationFactor,
                        Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(REKEYED_RETENTION.toMillis()))),
                // Like ratings: the decimal userId, the default partitioner, as many partitions (co-partitioned).
                new Spec(INTERACTIONS, "userId", partitions, replicationFactor, Map.of()),
                new Spec(INTERACTIONS_REKEYED, "userId (canonical key)", partitions, replicationFactor,
                        Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(REKEYED_RETENTION.toMillis()))),
                new Spec(IMPLICIT_ITEM_UPDATES, "item partition, int32", partitions, replicationFactor, Map.of()),
                new Spec(IMPLICIT_USER_FACTORS, "userId, int32", partitions, replicationFactor, compacted()),
                new Spec(IMPLICIT_ITEM_FACTORS, "itemId, int32", partitions, replicationFactor, compacted()),
                new Spec(IMPLICIT_PREDICTIONS, "userId, int32", partitions, replicationFactor, Map.of()),
                // Items hold one current metadata record per item and are read in full at every start:
                // compaction keeps the latest per item instead of dropping items after the retention time.
                new Spec(ITEMS, "itemId", partitions, replicationFactor, compacted()),
                // Rare, inspected by hand, order across keys irrelevant: one partition is enough.
                new Spec(RATINGS_DLQ, "the rejected event's own key", 1, replicationFactor, Map.of()),
                new Spec(ITEM_UPDATES, "itemId", partitions, replicationFactor, Map.of()),
                new Spec(USER_FACTORS, "userId", partitions, replicationFactor, compacted()),
                new Spec(ITEM_FACTORS, "itemId", partitions, replicationFactor, compacted()),
                new Spec(MODEL, "\"current\"", 1, replicationFactor, compacted()),
                new Spec(PREDICTIONS, "userId", partitions, replicationFactor, Map.of()),
                // Few records, read in full by every instance at start: one partition, the latest definition per name.
                new Spec(EXPERIMENTS, "experiment name", 1, replicationFactor, compacted()),
                // Default partitioner on the decimal userId, as ratings: partition p of both is read by user task p.
                new Spec(EXPOSURES, "userId", partitions, replicationFactor, Map.of()),
                // The latest totals per experiment, variant and user partition; every instance sums them.
                new Spec(EXPERIMENT_TOTALS, "experiment|variant|partition", 1, replicationFactor, compacted()),
                // One partition: its order is the sweep protocol's; the last record names the highest epoch reserved.
                new Spec(SWEEP_CONTROL, "\"sweep\"", 1, replicationFactor, Map.of()),
                new Spec(SWEEP_DATA, "user partition, int32", partitions, replicationFactor, sweepTopic()),
                new Spec(SWEEP_RESULTS, "result record number mod partitions, int32", partitions, replicationFactor,
                        sweepTopic()));
    }

    private static Map<String, String> sweepTopic() {
        return Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(SWEEP_RETENTION.toMillis()),
                TopicConfig.SEGMENT_MS_CONFIG, Long.toString(SWEEP_RETENTION.toMillis() / 4));
    }

    /** {@link #DEFAULT_PARTITIONS} partitions, replication factor 1 (the embedded single-node broker). */
    public static Topics singleNode() {
        return new Topics(DEFAULT_PARTITIONS, (short) 1);
    }

    public List<Spec> specs() {
        return specs;
    }

    public Spec spec(String name) {
        return specs.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("undeclared topic " + name));
    }

    /**
     * Creates the declared topics that do not exist yet and returns their names. Idempotent, and safe when
     * several instances start at once: a topic another instance created in between is not an error. Existing
     * topics are left as they are (partition count and configs are not reconciled).
     */
    public Set<String> createMissing(Admin admin) {
        try {
            Set<String> existing = admin.listTopics().names().get(CREATE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (Spec spec : specs) {
                if (!existing.contains(spec.name())) {
                    missing.add(spec.toNewTopic());
                }
            }
            Set<String> created = new TreeSet<>();
            if (missing.isEmpty()) {
                return created;
            }
            Map<String, KafkaFuture<Void>> results = admin.createTopics(missing).values();
            for (Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
                try {
                    result.getValue().get(CREATE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    created.add(result.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + result.getKey(), e.getCause());
                    }
                }
            }
            return created;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot list topics", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within " + CREATE_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    /**
     * Waits until every partition of the topics has a leader that serves requests: the metadata names a
     * leader, and a ListOffsets request, which the leader answers from the partition itself, succeeds. Right
     * after a topic is created the metadata can name a leader that has not taken the partition over yet; an
     * idempotent producer whose first batch meets that gets NOT_LEADER_OR_FOLLOWER, then
     * OUT_OF_ORDER_SEQUENCE_NUMBER on every retry, and loses the batch.
     *
     * @throws IllegalStateException when that takes longer than {@code timeout}, or on a non-retriable error
     */
    public static void awaitLeaders(Admin admin, Collection<String> topics, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String waitingFor = "metadata";
        try {
            while (true) {
                long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                try {
                    Map<String, TopicDescription> described =
                            admin.describeTopics(topics).allTopicNames().get(left, TimeUnit.MILLISECONDS);
                    Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
                    String leaderless = null;
                    for (TopicDescription t : described.values()) {
                        for (TopicPartitionInfo p : t.partitions()) {
                            partitions.put(new TopicPartition(t.name(), p.partition()), OffsetSpec.latest());
                            if (p.leader() == null || p.leader().isEmpty()) {
                                leaderless = t.name() + "-" + p.partition();
                            }
                        }
                    }
                    if (leaderless == null) {
                        admin.listOffsets(partitions).all().get(left, TimeUnit.MILLISECONDS);
                        return;
                    }
                    waitingFor = "a leader of " + leaderless;
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof RetriableException)) {
                        throw new IllegalStateException("cannot check the leaders of " + topics + ": "
                                + e.getCause().getMessage(), e.getCause());
                    }
                    waitingFor = e.getCause().toString();
                } catch (TimeoutException e) {
                    waitingFor = "an answer from Kafka";
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("partitions of " + topics + " have no serving leader after "
                            + timeout.toSeconds() + " s; waiting for " + waitingFor);
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the leaders of " + topics, e);
        }
    }

    /**
     * Log compaction keeps the latest record per key. Smaller segments than the 1 GiB default let the cleaner
     * reach the factor updates sooner (the active segment is never compacted), which bounds how much a new
     * instance reads to rebuild its tables.
     */
    private static Map<String, String> compacted() {
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.SEGMENT_BYTES_CONFIG, Integer.toString(COMPACTED_SEGMENT_BYTES));
    }
}
