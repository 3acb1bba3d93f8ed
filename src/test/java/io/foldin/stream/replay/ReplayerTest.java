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
        FailingEveryOther producer = new FailingEveryOther();
        ReplayReport r = new Replayer(ReplayConfig.of("x:1", "t")).run(producer, log, log.timeOrder(),
                Replayer.Listener.NONE);
        assertEquals(4, r.attempted());
        assertEquals(2, r.delivered());
        assertEquals(2, r.errors());
        assertTrue(r.firstError().contains("simulated"), r.firstError());
    }

    private static RatingLog log() {
        RatingLog log = new RatingLog();
        log.add(1, 10, 4.0f, 200);
        log.add(2, 20, 1.5f, 100);
        log.add(3, 30, 5.0f, 200);
        log.add(1, 11, 3.0f, 300);
        return log;
    }

    /** Completes every second send with a delivery timeout, as a broker that went away would. */
    private static final class FailingEveryOther extends MockProducer<byte[], byte[]> {
        private int calls;

        FailingEveryOther() {
            super(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
            if (calls++ % 2 == 1) {
                TimeoutException e = new TimeoutException("simulated delivery timeout");
                callback.onCompletion(null, e);
                return CompletableFuture.failedFuture(e);
            }
            return super.send(record, callback);
        }
    }
}
