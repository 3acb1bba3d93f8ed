package io.foldin.stream.replay;

import io.foldin.data.RatingLog;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces a {@link RatingLog} to a topic in timestamp order: key = userId in decimal, value = the JSON
 * rating event. One thread sends; delivery results come back on the producer's I/O thread and are counted,
 * so every event ends up either delivered or counted as an error.
 *
 * <p>{@link #stop} (from a shutdown hook, say) ends the loop after the current event; {@link #run} then
 * still waits for the events already sent, so the report is complete.
 */
public final class Replayer {
    /** How often (in events) the listener hears about progress; a power of two, checked with a mask. */
    private static final int PROGRESS_EVERY = 1 << 12;
    /** On stop, how long in-flight events may take before they are failed (and counted) by close. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    /** Progress callback, on the replaying thread; keep it cheap. */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = (attempted, total, failed, elapsedNanos) -> { };

        void progress(long attempted, long total, long failed, long elapsedNanos);
    }

    private final ReplayConfig config;
    private volatile boolean stopRequested;

    public Replayer(ReplayConfig config) {
        this.config = config;
    }

    /**
     * Producer settings measured on the 2-core box (MEASURED.md: 1.27M records/s against 0.87M with the
     * defaults): idempotent with acks=all, so a retry never duplicates or reorders a user's events, and
     * batches of up to 256 KB that may wait 20 ms to fill. Overrides from the config win.
     */
    public Map<String, Object> producerConfig() {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "foldin-replay");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        // 4 partitions x 256 KB batches in flight plus the ones filling: the 32 MB default blocks send()
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L << 20);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.putAll(config.producerOverrides());
        return p;
    }

    /** Replays with a new producer from {@link #producerConfig}, closed at the end. */
    public ReplayReport run(RatingLog log, int[] order, Listener listener) {
        try (Producer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig())) {
            return run(producer, log, order, listener);
        }
    }

    /**
     * Sends {@code log}'s rows in the order given by {@code order} (row numbers, e.g. {@link RatingLog#timeOrder}),
     * at most {@link ReplayConfig#limit} of them, paced to {@link ReplayConfig#eventsPerSecond}.
     */
    public ReplayReport run(Producer<byte[], byte[]> producer, RatingLog log, int[] order, Listener listener) {
        long total = config.limit() == 0 ? order.length : Math.min(config.limit(), order.length);
        Outcome outcome = new Outcome();
        EventEncoder encoder = new EventEncoder();
        Pacer pacer = new Pacer(config.eventsPerSecond());
        String topic = config.topic();
        long t0 = System.nanoTime();
        long attempted = 0;
        boolean brokeDown = false;
        while (attempted < total && !stopRequested) {
            int row = order[(int) attempted];
            attempted++;
            try {
                encoder.encode(log.users().idOf(log.user(row)), log.items().idOf(log.item(row)), log.rating(row),
                        log.time(row));
            } catch (IllegalArgumentException e) {
                outcome.fail("row " + row + ": " + e.getMessage());
                continue;
            }
            pacer.acquire();
            try {
                producer.send(new ProducerRecord<>(topic, encoder.key(), encoder.value()), outcome);
            } catch (KafkaException | IllegalStateException e) {
                // a refused send (fatal producer error, buffer full past max.block.ms) will refuse the rest too
                outcome.fail("send refused: " + e);
                brokeDown = true;
                break;
            }
            if ((attempted & (PROGRESS_EVERY - 1)) == 0) {
                listener.progress(attempted, total, outcome.errors.get(), System.nanoTime() - t0);
            }
        }
        boolean stopped = stopRequested || brokeDown;
        if (stopped) {
            // close with a deadline fails what is still in flight through the callbacks, so it is counted
            producer.close(STOP_GRACE);
        } else {
            producer.flush();
        }
        long elapsed = System.nanoTime() - t0;
        listener.progress(attempted, total, outcome.errors.get(), elapsed);
        return new ReplayReport(attempted, outcome.delivered.get(), outcome.errors.get(), outcome.bytes.get(),
                elapsed / 1e9, stopped, outcome.firstError.get());
    }

    /** Ends {@link #run} after the event in hand; safe from any thread. */
    public void stop() {
        stopRequested = true;
    }

    /** Delivery results, written on the producer's I/O thread; one instance per run, shared by all sends. */
    private static final class Outcome implements Callback {
        final AtomicLong delivered = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicReference<String> firstError = new AtomicReference<>();

        @Override
        public void onCompletion(RecordMetadata metadata, Exception exception) {
            if (exception != null) {
                fail(exception.toString());
            } else {
                delivered.incrementAndGet();
                bytes.addAndGet(Math.max(0, metadata.serializedKeySize()) + Math.max(0, metadata.serializedValueSize()));
            }
        }

        void fail(String why) {
            errors.incrementAndGet();
            firstError.compareAndSet(null, why);
        }
    }
}
