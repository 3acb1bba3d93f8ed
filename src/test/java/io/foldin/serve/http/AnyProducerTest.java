package io.foldin.serve.http;

import io.foldin.serve.FoldinService;
import io.foldin.stream.event.RatingEvent;
import io.foldin.stream.event.RatingEventCodec;
import io.foldin.stream.event.UserKey;
import io.foldin.stream.kafka.EmbeddedKafka;
import io.foldin.stream.kafka.EmbeddedKafkaConfig;
import io.foldin.stream.kafka.Topics;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Ratings from producers that are not the Java client, over a real broker and a real service: 40 users, 20
 * keyed and 20 without a key, placed the way librdkafka places them by default ({@code consistent_random}:
 * CRC32 of the key, random for no key). {@code GET /users/{id}} must answer every one with all its ratings.
 * Once through a Java producer with a partitioner that reproduces librdkafka's, once through kcat itself.
 */
class AnyProducerTest {
    static final int USERS = 40;

    @TempDir
    static Path dir;
    static EmbeddedKafka kafka;
    static FoldinService service;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(new EmbeddedKafkaConfig(dir.resolve("kafka"), 0, true));
        port = RunningService.freePort();
        service = FoldinService.start(RunningService.config(dir, kafka.bootstrapServers(), port));
        RunningService.await(Duration.ofMinutes(2), () -> service.streams().isRunning(), "streams running");
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {service, kafka}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // keep closing the rest
            }
        }
    }

    /**
     * librdkafka's default partitioner, {@code consistent_random}, as its CONFIGURATION.md documents it: the
     * CRC32 of the key bytes modulo the partition count; a null or empty key goes to a random partition.
     */
    public static final class Crc32ConsistentRandom implements Partitioner {
        @Override
        public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
            int partitions = cluster.partitionCountForTopic(topic);
            if (keyBytes == null || keyBytes.length == 0) {
                return ThreadLocalRandom.current().nextInt(partitions);
            }
            CRC32 crc = new CRC32();
            crc.update(keyBytes);
            return (int) (crc.getValue() % partitions);
        }

        @Override
        public void close() {
        }

        @Override
        public void configure(Map<String, ?> configs) {
        }
    }

    /** User {@code first + k} has k % 5 + 1 ratings; the first half of the users are keyed. */
    static List<ProducerRecord<byte[], byte[]>> events(int first) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (int k = 0; k < USERS; k++) {
            int user = first + k;
            for (int j = 0; j <= k % 5; j++) {
                RatingEvent e = new RatingEvent(user, 1 + j, 1f + j % 4, 1_600_000_000L + j);
                out.add(new ProducerRecord<>(Topics.RATINGS, k < USERS / 2 ? UserKey.of(user) : null,
                        RatingEventCodec.encode(e)));
            }
        }
        return out;
    }

    @Test
    void ratingsPlacedLikeLibrdkafkaDoesAreEachFoundAtTheirUser() throws Exception {
        produceLikeLibrdkafka(kafka.bootstrapServers(), 1000);
        assertEveryUserAnswered(port, 1000);
    }

    /** The users from {@code first} on, through a Java producer that places records as librdkafka does. */
    static void produceLikeLibrdkafka(String brokers, int first) throws Exception {
        List<ProducerRecord<byte[], byte[]>> events = events(first);
        Map<String, Object> p = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.PARTITIONER_CLASS_CONFIG, Crc32ConsistentRandom.class.getName());
        int misplaced = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (ProducerRecord<byte[], byte[]> r : events) {
                int partition = producer.send(r).get(30, TimeUnit.SECONDS).partition();
                misplaced += partition == UserKey.partition(userOf(r), Topics.DEFAULT_PARTITIONS) ? 0 : 1;
            }
        }
        assertTrue(misplaced > events.size() / 3, "the CRC32 placement differs from murmur2's for most ("
                + misplaced + " of " + events.size() + ")");
    }

    @Test
    void ratingsProducedByKcatAreEachFoundAtTheirUser() throws Exception {
        String kcat = kcat();
        int first = 2000;
        List<ProducerRecord<byte[], byte[]>> events = events(first);
        StringBuilder keyed = new StringBuilder();
        StringBuilder keyless = new StringBuilder();
        for (ProducerRecord<byte[], byte[]> r : events) {
            String value = new String(r.value(), StandardCharsets.US_ASCII);
            if (r.key() == null) {
                keyless.append(value).append('\n');
            } else {
                keyed.append(new String(r.key(), StandardCharsets.US_ASCII)).append('\t').append(value).append('\n');
            }
        }
        // The partitioner is named although it is librdkafka's default, so the test keeps meaning CRC32.
        runKcat(List.of(kcat, "-P", "-b", kafka.bootstrapServers(), "-t", Topics.RATINGS, "-K", "\t",
                "-X", "partitioner=consistent_random"), keyed.toString());
        runKcat(List.of(kcat, "-P", "-b", kafka.bootstrapServers(), "-t", Topics.RATINGS,
                "-X", "partitioner=consistent_random"), keyless.toString());
        assertEveryUserAnswered(port, first);
    }

    private static int userOf(ProducerRecord<byte[], byte[]> r) {
        return new JsonObject(new String(r.value(), StandardCharsets.US_ASCII)).getInteger("userId");
    }

    /** Every user answers 200 with its number of ratings, within a minute; the list of wrong ones otherwise. */
    static void assertEveryUserAnswered(int port, int first) throws InterruptedException {
        List<String> wrong = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        do {
            wrong.clear();
            for (int k = 0; k < USERS; k++) {
                HttpResponse<String> r = RunningService.get(port, "/users/" + (first + k));
                int count = r.statusCode() == 200 ? new JsonObject(r.body()).getInteger("ratings") : -1;
                if (count != k % 5 + 1) {
                    wrong.add((first + k) + (k < USERS / 2 ? " keyed" : " no key") + ": " + r.statusCode()
                            + " ratings=" + count);
                }
            }
            if (wrong.isEmpty()) {
                return;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        fail(wrong.size() + " of " + USERS + " users wrong or missing: " + wrong);
    }

    /** kcat's path; a skip on a developer machine without it, a failure in CI (which installs it, .ci/run). */
    private static String kcat() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, "kcat"))) {
                return Path.of(d, "kcat").toString();
            }
        }
        String why = "kcat (librdkafka's command-line client) is not installed: apt-get install kcat";
        if ("true".equals(System.getenv("CI"))) {
            fail(why + "; CI must run the real non-Java client (.ci/run installs it)");
        }
        Assumptions.assumeTrue(false, why + " to run this test");
        return null;
    }

    private static void runKcat(List<String> command, String input) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(input.getBytes(StandardCharsets.US_ASCII));
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("kcat did not finish within 60 s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "kcat failed: " + out);
    }
}
