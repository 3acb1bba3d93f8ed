package io.foldin.stream.topology;

import io.foldin.metrics.Metric;
import io.foldin.metrics.Metrics;
import io.foldin.stream.kafka.Topics;
import io.foldin.stream.live.LiveModel;
import io.foldin.stream.live.ModelEpoch;
import io.foldin.stream.sweep.SweepCoordinator;
import io.foldin.stream.sweep.SweepExchange;
import io.foldin.stream.sweep.Sweeper;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.DoubleStream;

/**
 * Runs the topology on a cluster: creates the topics, restores the model epoch from topic
 * {@code model}, starts Kafka Streams with the tuned settings, and exposes what the API needs
 * (the live model, the sweeps, the Streams handle for interactive queries).
 */
public final class FoldinStreams implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FoldinStreams.class);

    private final StreamConfig config;
    private final LiveModel live;
    private final SweepCoordinator sweeps;
    private final KafkaStreams streams;
    private final CrashRecovery recovery;
    private final SweepExchange exchange;
    /** Streams' own metrics (threads, tasks, stores, its clients) in the registry; closed before Streams. */
    private final Metrics.Binding streamsMetrics;
    private final CountDownLatch running = new CountDownLatch(1);

    private FoldinStreams(StreamConfig config, LiveModel live, SweepCoordinator sweeps, KafkaStreams streams,
                          CrashRecovery recovery, SweepExchange exchange, Metrics.Binding streamsMetrics) {
        this.exchange = exchange;
        this.streamsMetrics = streamsMetrics;
        this.config = config;
        this.live = live;
        this.sweeps = sweeps;
        this.streams = streams;
        this.recovery = recovery;
    }

    /** Creates missing topics with {@code topics} and starts processing; returns at once. */
    public static FoldinStreams start(StreamConfig config, Topics topics, Metrics metrics) {
        int partitions;
        int updates;
        int rekeyed;
        int exposures;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()))) {
            topics.createMissing(admin);
            partitions = partitionsOf(admin, Topics.RATINGS);
            updates = partitionsOf(admin, Topics.ITEM_UPDATES);
            rekeyed = partitionsOf(admin, Topics.RATINGS_REKEYED);
            exposures = partitionsOf(admin, Topics.EXPOSURES);
            // The implicit side's user task p reads partition p of interactions (and its re-keyed topic) beside
            // ratings, and its item updates name their partition as item-updates' do (ImplicitUserFoldIn).
            for (String topic : List.of(Topics.INTERACTIONS, Topics.INTERACTIONS_REKEYED, Topics.IMPLICIT_ITEM_UPDATES)) {
                int n = partitionsOf(admin, topic);
                if (n != partitions) {
                    throw new IllegalStateException(topic + " has " + n + " partitions and " + Topics.RATINGS + " "
                            + partitions + ": foldin needs them equal (recreate " + topic
                            + " while the application is stopped)");
                }
            }
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot reach Kafka at " + config.bootstrapServers() + ": " + e, e);
        }
        if (updates != partitions) {
            // The user side sends each item's updates to partition hash(item) mod (ratings' partitions).
            throw new IllegalStateException(Topics.ITEM_UPDATES + " has " + updates + " partitions and "
                    + Topics.RATINGS + " " + partitions + ": foldin needs them equal (recreate " + Topics.ITEM_UPDATES
                    + " while the application is stopped)");
        }
        if (rekeyed != partitions) {
            // A re-keyed rating goes to partition owner(user) of ratings-rekeyed, and the task of that number
            // folds it in: only with equal counts is that the task that owns the user.
            throw new IllegalStateException(Topics.RATINGS_REKEYED + " has " + rekeyed + " partitions and "
                    + Topics.RATINGS + " " + partitions + ": foldin needs them equal (recreate "
                    + Topics.RATINGS_REKEYED + " while the application is stopped)");
        }
        if (exposures != partitions) {
            // A user's exposures must reach the task that reads the user's ratings (ExperimentOutcomes).
            throw new IllegalStateException(Topics.EXPOSURES + " has " + exposures + " partitions and "
                    + Topics.RATINGS + " " + partitions + ": foldin needs them equal (recreate "
                    + Topics.EXPOSURES + " while the application is stopped)");
        }
        int d = config.params().factors();
        ModelEpoch epoch = readEpoch(config);
        if (epoch == null) {
            epoch = ModelEpoch.initial(config.initialMean(), d);
        }
        LOG.info("model epoch {} (mu={}), {} user partitions", epoch.epoch(), epoch.mu(), partitions);
        LiveModel live = new LiveModel(d, config.implicit().params().factors(), epoch, metrics);
        StreamConfig.Sweep sw = config.sweep();
        SweepCoordinator sweeps = new SweepCoordinator(live, new Sweeper(config.params(), sw.threads(), 42),
                sw.everyEvents(), sw.everyMs(), sw.iterations(), sw.warm(), sw.holdout(), partitions,
                sw.firstAfterRatings(), sw.timeoutMs());
        if (config.implicit().enabled()) {
            sweeps.attachImplicit(new io.foldin.stream.sweep.ImplicitSweep(config.implicit(), live, sw.threads()));
        }
        SweepExchange exchange = new SweepExchange(new SweepExchange.Settings(config.bootstrapServers(), partitions, d,
                sw.timeoutMs()), sweeps, metrics);
        KafkaStreams streams = new KafkaStreams(FoldinTopology.build(new FoldinTopology.Context(config, live, sweeps)),
                properties(config));
        sweeps.attach(exchange, () -> streams.state() == KafkaStreams.State.RUNNING);
        CrashRecovery recovery = CrashRecovery.start(config, sweeps);
        streams.setGlobalStateRestoreListener(recovery);
        FoldinStreams app = new FoldinStreams(config, live, sweeps, streams, recovery, exchange,
                metrics.bind(new KafkaStreamsMetrics(streams)));
        streams.setStateListener((now, before) -> {
            LOG.info("streams state {} -> {}", before, now);
            if (now == KafkaStreams.State.RUNNING) {
                if (!live.restored()) {
                    // once, after the global tables' restore (their processors' init comes before it); on a
                    // first start the counts include what arrived meanwhile (the sample's catalogue)
                    LOG.info("running; item tables restored: factors of {} items, catalogue of {} items",
                            live.items().size(), live.catalog().size());
                }
                live.markRestored();
                app.running.countDown();
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        metrics.gauge(Metric.MODEL_EPOCH, () -> live.epoch().epoch());
        metrics.gauge(Metric.SWEEP_HOLDOUT_RMSE, () -> live.epoch().sweep().holdoutRmse());
        metrics.gauge(Metric.ITEMS, () -> live.items().size());
        metrics.gauge(Metric.CONSUMER_LAG, app::lag);
        metrics.gauge(Metric.COMMIT_LATENCY_MAX, () -> app.threadMetricMax("commit-latency-max") / 1e3);
        metrics.gauge(Metric.POLL_LATENCY_MAX, () -> app.threadMetricMax("poll-latency-max") / 1e3);
        exchange.start();
        streams.start();
        return app;
    }

    /** Partition count of a topic; retried because a topic just created may not be in the metadata yet. */
    private static int partitionsOf(Admin admin, String topic) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            try {
                return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                        .get(topic).partitions().size();
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
                        || System.currentTimeMillis() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    static Properties properties(StreamConfig c) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, c.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServers());
        p.put(StreamsConfig.STATE_DIR_CONFIG, c.stateDir().toString());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, c.guarantee());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, c.commitIntervalMs());
        // no store uses the record cache: the statistics stores are their own (StatsStore)
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0L);
        // every task reads one partition, so there is no order across partitions to wait for (and Streams
        // formats a log message per check while it waits)
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, c.streamThreads());
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, c.standbyReplicas());
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, RocksDbTuning.class);
        if (c.applicationServer() != null) {
            p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, c.applicationServer());
        }
        // A short linger batches the per-event outputs (item-updates, factors) without adding visible latency.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 256 * 1024);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 2000);
        // A sweep holds the stream thread; on the twin that is longer than the default poll interval.
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG), 30 * 60_000);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), 5 * 60_000);
        // A crashed instance keeps its partitions until its group session expires, and a restart on the same
        // state directory waits that long (measured 42 s with the 45 s default). Heartbeats come from the
        // consumer's own thread, so sweeps do not count against it; 10 s still rides out long GC pauses.
        p.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
        return p;
    }

    /** The last record of topic {@code model}, or null. */
    static ModelEpoch readEpoch(StreamConfig c) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(Topics.MODEL, 0);
            consumer.assign(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            consumer.seekToBeginning(List.of(tp));
            ModelEpoch last = null;
            long deadline = System.currentTimeMillis() + 30_000;
            while (consumer.position(tp) < end && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() != null) {
                        last = ModelEpoch.decode(r.value());
                    }
                }
            }
            return last;
        }
    }

    /** Records of ratings, ratings-rekeyed and item-updates fetched-but-not-processed lag, summed over this instance's partitions. */
    public double lag() {
        return metricValues("consumer-fetch-manager-metrics", "records-lag",
                tags -> Topics.RATINGS.equals(tags.get("topic")) || Topics.RATINGS_REKEYED.equals(tags.get("topic"))
                        || Topics.ITEM_UPDATES.equals(tags.get("topic"))).sum();
    }

    /** Largest value over this instance's stream threads of a {@code stream-thread-metrics} metric, 0 when none has one yet. */
    double threadMetricMax(String metric) {
        return metricValues("stream-thread-metrics", metric, tags -> true).max().orElse(0);
    }

    /** The numeric values of Streams' (and its clients') metrics of this group and name whose tags pass; NaN ones (no sample yet) left out. */
    private DoubleStream metricValues(String group, String name, Predicate<Map<String, String>> tags) {
        return streams.metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals(group) && e.getKey().name().equals(name) && tags.test(e.getKey().tags()))
                .map(e -> e.getValue().metricValue())
                .filter(v -> v instanceof Number n && !Double.isNaN(n.doubleValue()))
                .mapToDouble(v -> ((Number) v).doubleValue());
    }

    /** Waits until Streams has restored its state and is processing. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isRunning() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    public StreamConfig config() {
        return config;
    }

    public LiveModel live() {
        return live;
    }

    public SweepCoordinator sweeps() {
        return sweeps;
    }

    /** This instance's id in gathered sweeps (the leader's name on {@code sweep-control}). */
    public String sweepInstance() {
        return exchange.instance();
    }

    public KafkaStreams streams() {
        return streams;
    }

    /**
     * The sweep that rebuilds the statistics after a crash under at-least-once ({@link CrashRecovery}),
     * completed once installed; null when this start needed none.
     */
    public CompletableFuture<ModelEpoch> recovery() {
        return recovery.sweep();
    }

    /** Stops Streams with a last commit; only a clean stop clears the crash marker. */
    @Override
    public void close() {
        // The exchange first: it lets a user side stopped for a sweep go on, which Streams' close waits for.
        exchange.close();
        streamsMetrics.close();
        boolean stopped = streams.close(Duration.ofSeconds(30));
        if (stopped && streams.state() == KafkaStreams.State.NOT_RUNNING) {
            recovery.closedCleanly();
        } else {
            LOG.warn("streams did not stop cleanly (state {}); the next start sweeps to recover", streams.state());
        }
    }
}
