package io.foldin.stream.prequential;

import io.foldin.stream.kafka.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads topic {@code predictions} from its start, read_committed (so under exactly-once only what
 * was committed, each event once): key userId (int32), value {@code itemId:int32, rating:float32,
 * predicted:float32}, the prediction the user side made before folding the event in.
 */
final class PredictionReader implements AutoCloseable {

    /** Receives each prediction in the order read. */
    interface Sink {
        void accept(int userId, int itemId, float rating, float predicted);
    }

    private final KafkaConsumer<byte[], byte[]> consumer;

    PredictionReader(String bootstrap) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = new ArrayList<>();
        consumer.partitionsFor(Topics.PREDICTIONS).forEach(p -> parts.add(new TopicPartition(p.topic(), p.partition())));
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
    }

    /**
     * Hands the next {@code n} predictions to the sink; false if they did not all arrive within
     * {@code idle} of the previous one.
     */
    boolean read(long n, Duration idle, Sink sink) {
        long got = 0;
        long deadline = System.nanoTime() + idle.toNanos();
        while (got < n) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                ByteBuffer v = ByteBuffer.wrap(r.value());
                sink.accept(ByteBuffer.wrap(r.key()).getInt(), v.getInt(), v.getFloat(), v.getFloat());
                got++;
                deadline = System.nanoTime() + idle.toNanos();
            }
        }
        return true;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
