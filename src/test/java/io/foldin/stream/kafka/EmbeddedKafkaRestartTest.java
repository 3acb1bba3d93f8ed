package io.foldin.stream.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A broker closed and started again on the same directory keeps its cluster, topics and records. */
class EmbeddedKafkaRestartTest {

    @TempDir
    Path tmp;

    @Test
    void restartOnTheSameDirectoryReadsEarlierRecordsBack() throws Exception {
        EmbeddedKafkaConfig config = new EmbeddedKafkaConfig(tmp.resolve("kafka"), 0, false);
        String clusterId;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(config)) {
            clusterId = kafka.clusterId();
            try (Admin admin = admin(kafka)) {
                assertFalse(Topics.singleNode().createMissing(admin).isEmpty());
            }
            try (KafkaProducer<String, String> producer = TestClients.producer(kafka.bootstrapServers(), Map.of())) {
                for (int i = 0; i < 50; i++) {
                    producer.send(new ProducerRecord<>(Topics.USER_FACTORS, "u" + i, "f" + i));
                }
            }
        }
        assertTrue(Files.exists(config.dataDir().resolve("meta.properties")), "kept on close");

        try (EmbeddedKafka kafka = EmbeddedKafka.start(config.withWipeOnClose(true))) {
            assertEquals(clusterId, kafka.clusterId());
            try (Admin admin = admin(kafka)) {
                assertEquals(Set.of(), Topics.singleNode().createMissing(admin), "topics survived");
            }
            try (KafkaConsumer<String, String> consumer =
                         TestClients.consumer(kafka.bootstrapServers(), "after-restart", Map.of())) {
                consumer.subscribe(List.of(Topics.USER_FACTORS));
                List<ConsumerRecord<String, String>> got = TestClients.poll(consumer, 50, Duration.ofSeconds(30));
                assertEquals(50, got.size());
                assertTrue(got.stream().allMatch(r -> r.value().equals("f" + r.key().substring(1))));
            }
        }
        assertFalse(Files.exists(config.dataDir()), "wiped on close");
    }

    private static Admin admin(EmbeddedKafka kafka) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }
}
