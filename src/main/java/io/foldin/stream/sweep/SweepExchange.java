package io.foldin.stream.sweep;

import io.foldin.stream.kafka.Topics;
import io.foldin.stream.live.ModelEpoch;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import io.foldin.metrics.Histogram;
import io.foldin.metrics.Metric;
import io.foldin.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SortedMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The Kafka side of a gathered sweep (docs/design.md §2.9): one thread per instance that reads
 * {@code sweep-control}, {@code sweep-data} and {@code sweep-results}, and one producer.
 *
 * <ol>
 *   <li>The leader (the instance holding ratings partition 0) writes {@link SweepWire.Start} with an epoch above
 *       every epoch reserved before.</li>
 *   <li>Every instance, the leader too, stops its user side ({@link Host#lockWorld}), sends the stored ratings of
 *       each user partition it holds to {@code sweep-data} and a {@link SweepWire.DataEnd} with their count.</li>
 *   <li>The leader, once it has every partition's ratings, runs the sweep ({@link Gathering}), writes the new
 *       factors and item statistics to {@code sweep-results}, the new epoch to {@code model}, and installs.</li>
 *   <li>Every other instance installs once it has every result record, and lets its user side go on.</li>
 * </ol>
 * No rating is lost or counted twice: while an instance's user side is stopped its events wait in Kafka, and
 * every install rebuilds the statistics from the stored ratings. An instance that hears nothing of the sweep for
 * {@code timeoutMs} (the leader died), or a leader missing a partition's ratings that long (its holder died),
 * abandons it ({@link SweepWire.Abort}); the request stays and the next sweep runs with a new epoch.
 */
public final class SweepExchange implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SweepExchange.class);
    private static final byte[] CONTROL_KEY = "sweep".getBytes(StandardCharsets.UTF_8);
    private static final long HEARTBEAT_MS = 2_000;

    /** What the exchange needs of the instance: implemented by {@link SweepCoordinator}. */
    public interface Host {
        /** Stops every user task of the instance; blocks until the running ones are out. */
        long lockWorld();

        void unlockWorld(long stamp);

        /** This instance's user tasks by ratings partition. */
        SortedMap<Integer, SweepCoordinator.UserTask> userTasks();

        int liveEpoch();

        /** Whether this instance's tasks are settled (no rebalance or start-up under way). */
        boolean settled();

        boolean isLeader();

        /** The leader's part: the sweep over the gathered ratings. */
        SweepResult compute(Sweeper.Collector ratings, int epoch, int iterations, boolean warm);

        /** Hands a finished sweep to the tasks (item rows to the table, live epoch, installs pending). */
        void stage(SweepOutcome outcome, boolean computedHere);

        /** The sweep of {@code epoch} was abandoned; a request it served waits for the next one. */
        void abandoned(int epoch);

        /** Another instance asks for a sweep; only the leader acts on it. */
        void requested(SweepWire.Request request);

        Sweeper.Collector newCollector();
    }

    /** @param timeoutMs how long a sweep may go without a sign of progress before it is abandoned */
    public record Settings(String bootstrapServers, int partitions, int factors, long timeoutMs) {
    }

    private final Settings settings;
    private final Host host;
    private final String instance = UUID.randomUUID().toString();
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "foldin-sweep-heartbeat");
        t.setDaemon(true);
        return t;
    });
    private final LongAdder dataBytes;
    private final LongAdder resultBytes;
    private final LongAdder controlBytes;
    private final LongAdder abandoned;
    private final Histogram sweepSeconds;
    private volatile boolean closed;
    /** The Kafka client binders of the producer and consumer, closed before them. */
    private final List<Metrics.Binding> clientMetrics;
    private volatile int reserved;
    /** The sweep this instance takes part in, or null; touched by the exchange thread only. */
    private volatile Participation part;
    /** Set while the exchange thread waits to stop the user side, before {@link #part} is. */
    private volatile boolean starting;
    private Gathering lead;

    private static final class Participation {
        final int epoch;
        final String leader;
        final long stamp;
        final GatheredOutcome outcome;
        long lastSeenMs = System.currentTimeMillis();
        int received;
        int expected = -1;

        Participation(int epoch, String leader, long stamp, GatheredOutcome outcome) {
            this.epoch = epoch;
            this.leader = leader;
            this.stamp = stamp;
            this.outcome = outcome;
        }
    }

    public SweepExchange(Settings settings, Host host, Metrics metrics) {
        this.settings = settings;
        this.host = host;
        this.dataBytes = metrics.counter(Metric.SWEEP_BYTES, Topics.SWEEP_DATA);
        this.resultBytes = metrics.counter(Metric.SWEEP_BYTES, Topics.SWEEP_RESULTS);
        this.controlBytes = metrics.counter(Metric.SWEEP_BYTES, Topics.SWEEP_CONTROL);
        this.abandoned = metrics.counter(Metric.SWEEPS_ABANDONED);
        this.sweepSeconds = metrics.histogram(Metric.SWEEP_SECONDS);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1 << 20);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "foldin-sweep-" + instance.substring(0, 8));
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "foldin-sweep-" + instance.substring(0, 8));
        this.consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.clientMetrics = List.of(metrics.bind(new KafkaClientMetrics(producer)),
                metrics.bind(new KafkaClientMetrics(consumer)));
        List<TopicPartition> tps = new ArrayList<>();
        tps.add(new TopicPartition(Topics.SWEEP_CONTROL, 0));
        for (int q = 0; q < settings.partitions(); q++) {
            tps.add(new TopicPartition(Topics.SWEEP_DATA, q));
            tps.add(new TopicPartition(Topics.SWEEP_RESULTS, q));
        }
        consumer.assign(tps);
        consumer.seekToEnd(tps);
        this.reserved = lastReserved();
        for (TopicPartition tp : tps) {
            consumer.position(tp);
        }
        this.thread = new Thread(this::run, "foldin-sweep-exchange");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    public String instance() {
        return instance;
    }

    /** Whether this instance takes part in a sweep now. */
    public boolean busy() {
        return starting || part != null;
    }

    /** The highest epoch any instance reserved for a sweep, as far as this one has read. */
    public int reserved() {
        return reserved;
    }

    /** The leader's first step: reserves {@code epoch} (above {@link #reserved()}) and starts the sweep. */
    public void startSweep(int epoch, int iterations, boolean warm) {
        reserved = Math.max(reserved, epoch);
        send(Topics.SWEEP_CONTROL, 0, new SweepWire.Start(epoch, iterations, warm, instance));
        producer.flush();
    }

    /** Asks the leader, wherever it is, for a sweep. */
    public void forward(int iterations, boolean warm, boolean recovery) {
        send(Topics.SWEEP_CONTROL, 0, new SweepWire.Request(0, iterations, warm, recovery, instance));
    }

    private int lastReserved() {
        TopicPartition tp = new TopicPartition(Topics.SWEEP_CONTROL, 0);
        long end = consumer.position(tp);
        if (end == 0) {
            return 0;
        }
        consumer.seek(tp, end - 1);
        int last = 0;
        long deadline = System.currentTimeMillis() + 10_000;
        while (consumer.position(tp) < end && System.currentTimeMillis() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200)).records(tp)) {
                SweepWire.Message m = SweepWire.decode(r.value());
                if (m != null) {
                    last = Math.max(last, m.epoch());
                }
            }
        }
        return last;
    }

    private void run() {
        while (!closed) {
            try {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    SweepWire.Message m = r.value() == null ? null : SweepWire.decode(r.value());
                    if (m != null) {
                        handle(m);
                    }
                }
                checkTimeouts(System.currentTimeMillis());
            } catch (org.apache.kafka.common.errors.WakeupException e) {
                break;
            } catch (RuntimeException e) {
                LOG.error("sweep exchange: {}", e.toString(), e);
                Participation p = part;
                if (p != null) {
                    send(Topics.SWEEP_CONTROL, 0, new SweepWire.Abort(p.epoch, instance, "failed on " + instance
                            + ": " + e));
                    release(p, "failed: " + e);
                }
            }
        }
    }

    private void handle(SweepWire.Message m) {
        Participation p = part;
        if (p != null && p.epoch == m.epoch()) {
            p.lastSeenMs = System.currentTimeMillis();
        }
        if (m instanceof SweepWire.Start s) {
            reserved = Math.max(reserved, s.epoch());
            begin(s);
        } else if (m instanceof SweepWire.Abort a) {
            if (lead != null && lead.epoch() == a.epoch()) {
                lead = null;
            }
            if (p != null && p.epoch == a.epoch()) {
                release(p, "abandoned by " + a.from() + ": " + a.reason());
            }
        } else if (m instanceof SweepWire.Request r) {
            if (host.isLeader()) {
                host.requested(r);
            }
        } else if (m instanceof SweepWire.Ratings || m instanceof SweepWire.DataEnd) {
            if (lead != null && lead.epoch() == m.epoch() && lead.add(m)) {
                finishAsLeader(lead);
            }
        } else if (p != null && p.epoch == m.epoch() && !p.leader.equals(instance)) {
            if (m instanceof SweepWire.Users u) {
                p.outcome.addUsers(u);
                p.received++;
            } else if (m instanceof SweepWire.Items i) {
                p.outcome.addItems(i);
                p.received++;
            } else if (m instanceof SweepWire.ResultEnd e) {
                p.outcome.setEpoch(ModelEpoch.decode(e.modelEpoch()));
                p.expected = e.records();
            }
            if (p.expected >= 0 && p.received == p.expected) {
                host.stage(p.outcome, false);
                release(p, null);
            }
        }
    }

    /** Stops the user side and sends the ratings of every user partition held here. */
    private void begin(SweepWire.Start s) {
        Participation old = part;
        if (old != null) {
            if (old.epoch >= s.epoch()) {
                return;
            }
            release(old, "superseded by the sweep of epoch " + s.epoch());
        }
        if (s.epoch() <= host.liveEpoch()) {
            return;
        }
        if (!host.settled()) {
            // Tasks still registering here would miss the install: give the sweep up at once rather than time out.
            send(Topics.SWEEP_CONTROL, 0, new SweepWire.Abort(s.epoch(), instance, "instance " + instance
                    + " is rebalancing"));
            producer.flush();
            return;
        }
        starting = true;
        long stamp = host.lockWorld();
        Participation p = new Participation(s.epoch(), s.leader(), stamp, new GatheredOutcome(settings.factors()));
        part = p;
        starting = false;
        if (s.leader().equals(instance)) {
            lead = new Gathering(s, settings.partitions());
        }
        long sent = 0;
        SortedMap<Integer, SweepCoordinator.UserTask> mine = host.userTasks();
        for (Map.Entry<Integer, SweepCoordinator.UserTask> e : mine.entrySet()) {
            sent += sendRatings(s.epoch(), e.getKey(), e.getValue());
        }
        producer.flush();
        LOG.info("sweep epoch {}: user side stopped, {} ratings of partitions {} sent to leader {}", s.epoch(), sent,
                mine.keySet(), s.leader());
    }

    private long sendRatings(int epoch, int partition, SweepCoordinator.UserTask task) {
        ByteBuffer[] buf = {ByteBuffer.allocate(12 * SweepWire.RATINGS_PER_RECORD)};
        int[] n = {0};
        long[] total = {0};
        task.collect((user, item, rating, ts) -> {
            buf[0].putInt(user).putInt(item).putFloat(rating);
            total[0]++;
            if (++n[0] == SweepWire.RATINGS_PER_RECORD) {
                send(Topics.SWEEP_DATA, partition,
                        new SweepWire.Ratings(epoch, partition, instance, n[0], buf[0].flip()));
                buf[0] = ByteBuffer.allocate(12 * SweepWire.RATINGS_PER_RECORD);
                n[0] = 0;
            }
        });
        if (n[0] > 0) {
            send(Topics.SWEEP_DATA, partition, new SweepWire.Ratings(epoch, partition, instance, n[0], buf[0].flip()));
        }
        send(Topics.SWEEP_DATA, partition, new SweepWire.DataEnd(epoch, partition, instance, total[0]));
        return total[0];
    }

    /** Every partition's ratings are here: sweep, publish the results, install. */
    private void finishAsLeader(Gathering g) {
        lead = null;
        Participation p = part;
        var beat = heartbeat.scheduleAtFixedRate(() -> send(Topics.SWEEP_CONTROL, 0, new SweepWire.Heartbeat(g.epoch())),
                0, HEARTBEAT_MS, TimeUnit.MILLISECONDS);
        SweepResult result;
        long t0 = System.nanoTime();
        long before = resultBytes.sum();
        try {
            Sweeper.Collector c = host.newCollector();
            g.feed(c);
            result = host.compute(c, g.epoch(), g.iterations(), g.warm());
            long t1 = System.nanoTime();
            int records = publish(result);
            producer.send(new ProducerRecord<>(Topics.MODEL, 0, System.currentTimeMillis(),
                    "current".getBytes(StandardCharsets.UTF_8), result.epoch().encode()));
            send(Topics.SWEEP_RESULTS, 0, new SweepWire.ResultEnd(g.epoch(), records, instance,
                    result.epoch().encode()));
            producer.flush();
            long t2 = System.nanoTime();
            var info = result.epoch().sweep();
            sweepSeconds.observe((System.currentTimeMillis() - g.startedMs()) / 1000.0);
            LOG.info("sweep epoch={} ratings={} holdout_rmse={} gathered {} B in {} ms; swept in {} ms; sent {} B of "
                            + "results in {} ms", result.epoch().epoch(), info.ratings(), info.holdoutRmse(), g.bytes(),
                    g.lastProgressMs() - g.startedMs(), (t1 - t0) / 1_000_000, resultBytes.sum() - before,
                    (t2 - t1) / 1_000_000);
        } finally {
            beat.cancel(false);
        }
        host.stage(result, true);
        if (p != null && p.epoch == g.epoch()) {
            release(p, null);
        }
    }

    /** Writes the users and the items with their statistics to {@code sweep-results}; returns the record count. */
    private int publish(SweepResult r) {
        int[] records = {0};
        GatheredOutcome.write(r, settings.factors(),
                m -> send(Topics.SWEEP_RESULTS, records[0]++ % settings.partitions(), m));
        return records[0];
    }

    private void checkTimeouts(long now) {
        Gathering g = lead;
        if (g != null && now - g.lastProgressMs() > settings.timeoutMs()) {
            lead = null;
            send(Topics.SWEEP_CONTROL, 0, new SweepWire.Abort(g.epoch(), instance, "no ratings from partitions "
                    + g.missing() + " within " + settings.timeoutMs() + " ms"));
            producer.flush();
        }
        Participation p = part;
        if (p != null && now - p.lastSeenMs > settings.timeoutMs()) {
            release(p, "nothing heard of it for " + settings.timeoutMs() + " ms");
        }
    }

    /** Lets the user side go on; {@code reason} null after an install, else why the sweep is abandoned here. */
    private void release(Participation p, String reason) {
        if (part != p) {
            return;
        }
        part = null;
        if (lead != null && lead.epoch() == p.epoch) {
            lead = null;
        }
        host.unlockWorld(p.stamp);
        if (reason != null) {
            abandoned.increment();
            LOG.warn("sweep epoch {} abandoned on this instance: {}", p.epoch, reason);
            host.abandoned(p.epoch);
        }
    }

    private void send(String topic, int partition, SweepWire.Message m) {
        byte[] value = SweepWire.encode(m);
        (topic.equals(Topics.SWEEP_DATA) ? dataBytes : topic.equals(Topics.SWEEP_RESULTS) ? resultBytes : controlBytes)
                .add(value.length);
        producer.send(new ProducerRecord<>(topic, partition, topic.equals(Topics.SWEEP_CONTROL) ? CONTROL_KEY
                : ByteBuffer.allocate(4).putInt(partition).array(), value));
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Participation p = part;
        if (p != null) {
            release(p, "instance closing");
        }
        heartbeat.shutdownNow();
        clientMetrics.forEach(Metrics.Binding::close);
        consumer.close(Duration.ofSeconds(5));
        producer.close(Duration.ofSeconds(5));
    }
}
