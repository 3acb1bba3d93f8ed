package io.foldin.stream.topology;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Looks at a broker from outside the application: committed offsets of its group, records of a topic. */
final class TopicProbe implements AutoCloseable {
    private final String bootstrap;
    private final Admin admin;

    TopicProbe(String bootstrap) {
        this.bootstrap = bootstrap;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    /** Offsets the group has committed on the topic's partitions (absent partitions: none yet). */
    Map<Integer, Long> committed(String group, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> all = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        Map<Integer, Long> out = new HashMap<>();
        all.forEach((tp, om) -> {
            if (tp.topic().equals(topic) && om != null) {
                out.put(tp.partition(), om.offset());
            }
        });
        return out;
    }

    long committedSum(String group, String topic) throws Exception {
        return committed(group, topic).values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * What a read of a whole topic finds: the number of records, each partition's last offset, and the
     * latest value of each key (as a compacted topic would keep it).
     */
    record Contents(long records, long units, Map<Integer, Long> lastOffset, Map<ByteBuffer, byte[]> latest) {
    }

    /** Reads the topic from the start to its end as seen under {@code isolation} (read_committed or read_uncommitted). */
    Contents read(String topic, String isolation) {
        return read(topic, isolation, value -> 1);
    }

    /** As {@link #read(String, String)}, also summing {@code unitsOf} over the values (the updates in a bundle). */
    Contents read(String topic, String isolation, java.util.function.ToIntFunction<byte[]> unitsOf) {
        Map<String, Object> p = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toLowerCase(Locale.ROOT),
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            c.partitionsFor(topic).forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long records = 0;
            long units = 0;
            Map<Integer, Long> last = new HashMap<>();
            Map<ByteBuffer, byte[]> latest = new HashMap<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end " + end);
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    records++;
                    units += unitsOf.applyAsInt(r.value());
                    last.merge(r.partition(), r.offset(), Math::max);
                    if (r.key() != null) {
                        latest.put(ByteBuffer.wrap(r.key()), r.value());
                    }
                }
            }
            return new Contents(records, units, last, latest);
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
