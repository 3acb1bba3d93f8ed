package io.foldin.stream.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foldin.data.RatingLog;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** The loop without a broker: order, limit, and that failed deliveries are counted, not lost. */
class ReplayerTest {

    @Test
    void sendsInTimestampOrderUpToTheLimit() {
        RatingLog log = log();
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        ReplayReport r = new Replayer(new ReplayConfig("x:1", "t", 0, 3, Map.of()))
                .run(producer, log, log.timeOrder(), Replayer.Listener.NONE);
        List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        assertEquals(3, sent.size());
        assertEquals(3, r.delivered());
        assertEquals(0, r.errors());
        assertFalse(r.stopped());
        assertEquals("{\"userId\":2,\"itemId\":20,\"rating\":1.5,\"timestamp\":100}", new String(sent.get(0).value()));
        assertEquals("2", new String(sent.get(0).key()));
        assertEquals("{\"userId\":1,\"itemId\":10,\"rating\":4.0,\"timestamp\":200}", new String(sent.get(1).value()));
        assertEquals("{\"userId\":3,\"itemId\":30,\"rating\":5.0,\"timestamp\":200}", new String(sent.get(2).value()));
    }

    @Test
    void countsEveryFailedDelivery() {
        RatingLog log = log();
        FailingEveryOther producer = new FailingEveryOther(new RecordTooLargeException("simulated refusal"));
        ReplayReport r = new Replayer(ReplayConfig.of("x:1", "t")).run(producer, log, log.timeOrder(),
                Replayer.Listener.NONE);
        assertEquals(4, r.attempted());
        assertEquals(2, r.delivered());
        assertEquals(2, r.errors());
        assertEquals(ReplayReport.Stop.COMPLETED, r.stop());
        assertTrue(r.firstError().contains("simulated"), r.firstError());
    }

    /** A delivery that timed out means nothing got through for a whole delivery timeout: stop sending. */
    @Test
    void stopsSendingAtTheFirstDeliveryTimeout() {
        RatingLog log = log();
        FailingEveryOther producer = new FailingEveryOther(new TimeoutException("simulated delivery timeout"));
        ReplayReport r = new Replayer(ReplayConfig.of("x:1", "t")).run(producer, log, log.timeOrder(),
                Replayer.Listener.NONE);
        assertEquals(2, r.attempted());
        assertEquals(1, r.delivered());
        assertEquals(1, r.errors());
        assertEquals(ReplayReport.Stop.DELIVERY_TIMED_OUT, r.stop());
        assertTrue(r.stopped());
    }

    /** One delivery timeout bounds every wait of the producer, and the producer accepts the combination. */
    @Test
    void mapsTheDeliveryTimeoutOntoTheProducer() {
        for (long ms : new long[] {1_000, 30_000, 600_000}) {
            var p = new Replayer(ReplayConfig.of("127.0.0.1:1", "t").withDeliveryTimeout(java.time.Duration.ofMillis(ms)))
                    .producerConfig();
            assertEquals((int) ms, p.get("delivery.timeout.ms"));
            assertEquals(ms, p.get("max.block.ms"));
            int request = (Integer) p.get("request.timeout.ms");
            assertTrue(request <= 30_000 && 20 + request <= ms, "request.timeout.ms " + request);
            try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>(p)) {
                // constructing it validates delivery.timeout.ms >= linger.ms + request.timeout.ms
            }
        }
    }

    private static RatingLog log() {
        RatingLog log = new RatingLog();
        log.add(1, 10, 4.0f, 200);
        log.add(2, 20, 1.5f, 100);
        log.add(3, 30, 5.0f, 200);
        log.add(1, 11, 3.0f, 300);
        return log;
    }

    /** Completes every second send with the given error. */
    private static final class FailingEveryOther extends MockProducer<byte[], byte[]> {
        private final RuntimeException error;
        private int calls;

        FailingEveryOther(RuntimeException error) {
            super(true, null, new ByteArraySerializer(), new ByteArraySerializer());
            this.error = error;
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
            if (calls++ % 2 == 1) {
                callback.onCompletion(null, error);
                return CompletableFuture.failedFuture(error);
            }
            return super.send(record, callback);
        }
    }
}
