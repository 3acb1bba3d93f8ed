package io.foldin.stream.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Topics#awaitLeaders}: an idempotent producer that starts right after its topic was created
 * loses no batch. Without the wait, this loop lost a partition's first batch (NOT_LEADER_OR_FOLLOWER, then
 * OUT_OF_ORDER_SEQUENCE_NUMBER until the delivery timeout) in 3 of 20 rounds on the 2-core machine; the short delivery timeout turns such a batch into a counted error within seconds.
 */
class TopicLeadersTest {
    @TempDir
    Path dir;

    @Test
    void aProducerStartingOnceTheLeadersServeLosesNothing() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(new EmbeddedKafkaConfig(dir.resolve("kafka"), 0, true));
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            for (int round = 0; round < 20; round++) {
                String topic = "fresh-" + round;
                admin.createTopics(List.of(new NewTopic(topic, 8, (short) 1))).all().get();
                // no describe of our own first: right after creation it can fail with UNKNOWN_TOPIC_OR_PARTITION
                // (seen once in CI); awaitLeaders retries exactly that
                Topics.awaitLeaders(admin, List.of(topic), Duration.ofSeconds(30));
                AtomicLong errors = new AtomicLong();
                AtomicReference<String> first = new AtomicReference<>();
                try (KafkaProducer<String, String> p = TestClients.producer(kafka.bootstrapServers(), Map.of(
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 20,
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000))) {
                    for (int i = 0; i < 2000; i++) {
                        p.send(new ProducerRecord<>(topic, Integer.toString(i), "0123456789".repeat(5)), (m, e) -> {
                            if (e != null) {
                                errors.incrementAndGet();
                                first.compareAndSet(null, e.toString());
                            }
                        });
                    }
                    p.flush();
                }
                assertEquals(0, errors.get(), "round " + round + ": " + first.get());
            }
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Topics.awaitLeaders(admin, List.of("never-created"), Duration.ofMillis(500)));
            assertTrue(e.getMessage().contains("never-created"), e.getMessage());
        }
    }
}
