package io.foldin.stream.topology;

import io.foldin.metrics.Metrics;
import io.foldin.model.AlsParams;
import io.foldin.stream.event.RatingEvent;
import io.foldin.stream.event.RatingEventCodec;
import io.foldin.stream.kafka.Topics;
import io.foldin.stream.live.LiveModel;
import io.foldin.stream.live.ModelEpoch;
import io.foldin.stream.sweep.SweepCoordinator;
import io.foldin.stream.sweep.Sweeper;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Properties;

/** The real topology in a {@link TopologyTestDriver}: one task per sub-topology, processing synchronous. */
final class TopologyFixture implements AutoCloseable {
    final StreamConfig config;
    final LiveModel live;
    final SweepCoordinator sweeps;
    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> ratings;
    final TestInputTopic<byte[], byte[]> items;
    final TestInputTopic<byte[], byte[]> itemUpdates;
    final TestOutputTopic<byte[], byte[]> dlq;
    final TestOutputTopic<byte[], byte[]> userFactors;
    /** What the user fold-in sent on to another partition's task (the driver also feeds it back in). */
    final TestOutputTopic<byte[], byte[]> rekeyed;

    TopologyFixture(Path stateDir, AlsParams params, double mu, double holdout) {
        this(stateDir, params, ModelEpoch.initial(mu, params.factors()), holdout);
    }

    /** Starts in the given epoch, as an instance restarted after sweeps does. */
    TopologyFixture(Path stateDir, AlsParams params, ModelEpoch epoch, double holdout) {
        this(StreamConfig.defaults("dummy:9092", stateDir).withParams(params).withInitialMean(epoch.mu())
                .withSweep(new StreamConfig.Sweep(0, 0, 5, holdout, 1)), epoch);
    }

    TopologyFixture(StreamConfig config, ModelEpoch epoch) {
        this(config, epoch, 1);
    }

    /**
     * As if {@code ratings} had {@code partitions} partitions. The driver runs only task 0, and every record
     * is read on partition 0, so users whose owner is another partition arrive misplaced; what the user
     * fold-in re-keys to {@code ratings-rekeyed} the driver hands back to the same (single) task.
     */
    TopologyFixture(StreamConfig config, ModelEpoch epoch, int partitions) {
        AlsParams params = config.params();
        double holdout = config.sweep().holdout();
        Path stateDir = config.stateDir();
        this.config = config;
        live = new LiveModel(params.factors(), epoch, new Metrics());
        sweeps = new SweepCoordinator(live, new Sweeper(params, 1, 42), 0, 0, 5, true, holdout, partitions, 0);
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "ttd");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(FoldinTopology.build(new FoldinTopology.Context(config, live, sweeps)), p);
        ByteArraySerializer ser = new ByteArraySerializer();
        ByteArrayDeserializer de = new ByteArrayDeserializer();
        ratings = driver.createInputTopic(Topics.RATINGS, ser, ser);
        items = driver.createInputTopic(Topics.ITEMS, ser, ser);
        itemUpdates = driver.createInputTopic(Topics.ITEM_UPDATES, ser, ser);
        dlq = driver.createOutputTopic(Topics.RATINGS_DLQ, de, de);
        userFactors = driver.createOutputTopic(Topics.USER_FACTORS, de, de);
        rekeyed = driver.createOutputTopic(Topics.RATINGS_REKEYED, de, de);
    }

    void rate(int user, int item, float rating) {
        pipe(user, item, rating);
        publish();
    }

    /** A rating within the current publish interval (no time passes). */
    void pipe(int user, int item, float rating) {
        RatingEvent e = new RatingEvent(user, item, rating, 1_000_000L);
        ratings.pipeInput(RatingEventCodec.key(e), RatingEventCodec.encode(e));
    }

    /** Lets one publish interval pass: changed items are re-solved and their factors reach the table. */
    void publish() {
        driver.advanceWallClockTime(java.time.Duration.ofMillis(config.publishIntervalMs()));
    }

    /**
     * Runs a sweep of {@code iterations}: the user side runs it at a punctuation, and each task installs it
     * at its next punctuation, which in one wall-clock advance may come before the sweep's.
     */
    ModelEpoch sweep(int iterations) throws Exception {
        var done = sweeps.requestSweep(iterations, false);
        driver.advanceWallClockTime(java.time.Duration.ofMillis(500));
        publish();
        return done.get(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** A new rating's item update reaching the item side directly, as the user side sent it in {@code epoch} (y = 0). */
    void itemUpdate(int item, int user, float rating, int epoch) {
        ItemUpdate u = new ItemUpdate(ItemUpdate.Kind.ADD, user, rating, Float.NaN, epoch,
                new float[config.params().factors() + 1]);
        itemUpdates.pipeInput(FoldinTopology.intKey(0), ItemUpdateBundle.of(item, 1_000_000L, u));
    }

    void delete(int user, int item) {
        RatingEvent e = RatingEvent.delete(user, item, 1_000_000L);
        ratings.pipeInput(RatingEventCodec.key(e), RatingEventCodec.encode(e));
        publish();
    }

    void raw(String key, String value) {
        ratings.pipeInput(key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    EntityState userState(int user) {
        byte[] raw = stats(Stores.USER_STATS).get(user);
        return raw == null ? null : EntityState.decode(raw, config.params().factors());
    }

    StatsStore stats(String name) {
        return (StatsStore) driver.getAllStateStores().get(name);
    }

    RatingsStore ratings() {
        return (RatingsStore) driver.getAllStateStores().get(Stores.USER_RATINGS);
    }

    EntityState itemState(int item) {
        byte[] raw = stats(Stores.ITEM_STATS).get(item);
        return raw == null ? null : EntityState.decode(raw, config.params().factors());
    }

    @Override
    public void close() {
        driver.close();
    }
}
