package io.foldin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code broker} in a child JVM, as load-tests/crash.sh runs it: it reports its address on stdout and in
 * {@code --port-file}, takes a record, stops on SIGTERM, and a second start on the same data directory still
 * holds the record.
 */
class BrokerCommandTest {
    @TempDir
    Path dir;

    @Test
    void servesStopsOnSigtermAndResumesOnItsData() throws Exception {
        Path data = dir.resolve("kafka");
        Path portFile = dir.resolve("broker.port");
        Child first = Child.start(data, portFile);
        try {
            assertEquals(first.bootstrap, Files.readString(portFile).strip());
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, first.bootstrap))) {
                admin.createTopics(List.of(new NewTopic("t", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, first.bootstrap),
                    new StringSerializer(), new StringSerializer())) {
                p.send(new ProducerRecord<>("t", "k", "v")).get(30, TimeUnit.SECONDS);
            }
            assertEquals(List.of("k=v"), consume(first.bootstrap));
        } finally {
            first.process.destroy(); // SIGTERM
        }
        assertTrue(first.process.waitFor(60, TimeUnit.SECONDS), "broker still running 60 s after SIGTERM");
        assertTrue(Files.exists(data.resolve("meta.properties")), "data directory kept");

        Child second = Child.start(data, portFile);
        try {
            assertEquals(List.of("k=v"), consume(second.bootstrap));
        } finally {
            second.process.destroy();
            assertTrue(second.process.waitFor(60, TimeUnit.SECONDS));
        }
    }

    private static List<String> consume(String bootstrap) {
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            TopicPartition tp = new TopicPartition("t", 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            List<String> got = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (got.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    got.add(r.key() + "=" + r.value());
                }
            }
            return got;
        }
    }

    private record Child(Process process, String bootstrap) {
        /** {@code foldin broker --port 0} on this JVM's class path; returns once it printed its address. */
        static Child start(Path data, Path portFile) throws Exception {
            Files.deleteIfExists(portFile);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                    Main.class.getName(), "broker", "--data-dir", data.toString(), "--port", "0",
                    "--port-file", portFile.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine(); // blocks until ready, or null if it died
            if (line == null || !line.startsWith("bootstrap_servers=127.0.0.1:")) {
                p.destroyForcibly();
                throw new IllegalStateException("broker printed " + line + ", exit " + p.waitFor());
            }
            return new Child(p, line.substring("bootstrap_servers=".length()));
        }
    }
}
