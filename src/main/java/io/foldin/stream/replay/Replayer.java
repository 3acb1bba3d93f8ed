package io.foldin.stream.replay;

import io.foldin.data.RatingLog;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces a {@link RatingLog} to a topic in timestamp order: key = userId in decimal, value = the JSON
 * rating event. One thread sends; delivery results come back on the producer's I/O thread and are counted,
 * so every event ends up either delivered or counted as an error.
 *
 * <p>{@link #stop} (from a shutdown hook, say) ends the loop after the current event; {@link #run} then
 * gives the events already sent {@link #STOP_GRACE} (at most the delivery timeout) and fails the rest, so
 * the report is complete. A send stuck on metadata or a full buffer does not see the stop; {@link #abort}
 * closes the producer under it.
 *
 * <p>The first delivery that times out also ends the loop: nothing was acknowledged for a whole delivery
 * timeout, so the cluster is gone or stuck, and every later event would wait as long and fail the same way
 * (at a low rate that would go on for as long as the file lasts).
 */
public final class Replayer {
    /** How often (in events) the listener hears about progress; a power of two, checked with a mask. */
    private static final int PROGRESS_EVERY = 1 << 12;
    /** On stop, how long in-flight events may take before they are failed (and counted) by close. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(10);

    /** Progress callback, on the replaying thread; keep it cheap. */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = (attempted, total, failed, elapsedNanos) -> { };

        void progress(long attempted, long total, long failed, long elapsedNanos);
    }

    private final ReplayConfig config;
    private volatile boolean stopRequested;
    /** The producer of the current run, for {@link #abort}; null outside a run. */
    private volatile Producer<byte[], byte[]> current;
    /** Opens when the send loop of the current run is left. */
    private final CountDownLatch loopLeft = new CountDownLatch(1);

    public Replayer(ReplayConfig config) {
        this.config = config;
    }

    /**
     * Producer settings measured on the 2-core box (MEASURED.md: 1.27M records/s against 0.87M with the
     * defaults): idempotent with acks=all, so a retry never duplicates or reorders a user's events, and
     * batches of up to 256 KB that may wait 20 ms to fill. Overrides from the config win.
     * {@link ProducerTimeouts} maps the delivery timeout onto the producer's timeouts.
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
        ProducerTimeouts.apply(p, config.deliveryTimeout(), config.producerOverrides());
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
        ReplayReport.Stop stop = ReplayReport.Stop.COMPLETED;
        current = producer;
        try {
            while (attempted < total) {
                if (stopRequested) {
                    stop = ReplayReport.Stop.REQUESTED;
                    break;
                }
                if (outcome.timedOut) {
                    stop = ReplayReport.Stop.DELIVERY_TIMED_OUT;
                    break;
                }
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
                    // a refused send (fatal producer error, blocked past max.block.ms, closed by abort) will
                    // refuse the rest too
                    outcome.fail("send refused: " + e);
                    stop = stopRequested ? ReplayReport.Stop.REQUESTED : ReplayReport.Stop.SEND_REFUSED;
                    break;
                }
                if ((attempted & (PROGRESS_EVERY - 1)) == 0) {
                    listener.progress(attempted, total, outcome.errors.get(), System.nanoTime() - t0);
                }
            }
        } finally {
            loopLeft.countDown();
        }
        if (stop != ReplayReport.Stop.COMPLETED) {
            // close with a deadline fails what is still in flight through the callbacks, so it is counted
            producer.close(stopGrace());
        } else {
            // bounded: each batch is acknowledged or expires within the delivery timeout
            producer.flush();
        }
        current = null;
        long elapsed = System.nanoTime() - t0;
        listener.progress(attempted, total, outcome.errors.get(), elapsed);
        return new ReplayReport(attempted, outcome.delivered.get(), outcome.errors.get(), outcome.bytes.get(),
                elapsed / 1e9, stop, outcome.firstError.get());
    }

    /** Ends {@link #run} after the event in hand; safe from any thread. */
    public void stop() {
        stopRequested = true;
    }

    /**
     * After {@link #stop}: waits up to {@code patience} for the send loop to end, and if it is still stuck in a
     * send (blocked on metadata or a full buffer while no broker answers, up to the delivery timeout), closes
     * the producer at once, which fails that send and whatever is in flight. Returns whether it had to.
     */
    public boolean abortIfStuck(Duration patience) throws InterruptedException {
        if (loopLeft.await(patience.toMillis(), TimeUnit.MILLISECONDS)) {
            return false;
        }
        Producer<byte[], byte[]> p = current;
        if (p != null) {
            p.close(Duration.ZERO);
        }
        return true;
    }

    /** How long, once stopped, the events in flight may still take: {@link #STOP_GRACE}, at most the delivery timeout. */
    public Duration stopGrace() {
        return STOP_GRACE.compareTo(config.deliveryTimeout()) < 0 ? STOP_GRACE : config.deliveryTimeout();
    }

    /** Delivery results, written on the producer's I/O thread; one instance per run, shared by all sends. */
    private static final class Outcome implements Callback {
        final AtomicLong delivered = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicReference<String> firstError = new AtomicReference<>();
        /** A delivery failed after the whole delivery timeout; read by the send loop. */
        volatile boolean timedOut;

        @Override
        public void onCompletion(RecordMetadata metadata, Exception exception) {
            if (exception != null) {
                if (exception instanceof TimeoutException) {
                    timedOut = true;
                }
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
