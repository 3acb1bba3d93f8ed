package io.foldin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foldin.stream.event.ItemEventParser;
import io.foldin.stream.kafka.EmbeddedKafka;
import io.foldin.stream.kafka.EmbeddedKafkaConfig;
import io.foldin.stream.kafka.Topics;
import io.foldin.stream.live.ItemCatalog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code replay} against a real in-JVM broker: what arrives is what the file says, in timestamp order. */
class ReplayCommandTest {
    private static final Pattern EVENT = Pattern.compile(
            "\\{\"userId\":(\\d+),\"itemId\":(\\d+),\"rating\":([0-9.]+),\"timestamp\":(\\d+)}");

    @TempDir
    static Path dir;

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start(new EmbeddedKafkaConfig(dir.resolve("kafka"), 0, true));
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    record Row(int user, int item, double rating, long time) {
    }

    @Test
    void replaysAShuffledFileInTimestampOrderPerUser() throws Exception {
        // timestamps shuffled, with ties (one per 5 s, 600 rows over 200 distinct instants)
        Random random = new Random(7);
        List<Row> rows = new ArrayList<>();
        for (int k = 0; k < 600; k++) {
            rows.add(new Row(1 + random.nextInt(25), 1 + random.nextInt(500), 0.5 * (1 + random.nextInt(10)),
                    1_100_000_000L + 5L * random.nextInt(200)));
        }
        Path csv = dir.resolve("shuffled.csv");
        StringBuilder text = new StringBuilder("userId,movieId,rating,timestamp\n");
        for (Row r : rows) {
            text.append(r.user()).append(',').append(r.item()).append(',').append(r.rating()).append(',')
                    .append(r.time()).append('\n');
        }
        Files.writeString(csv, text);

        String out = capture(0, "replay", "--ratings", csv.toString(), "--bootstrap-servers",
                kafka.bootstrapServers(), "--create-topics", "--json");
        assertTrue(out.contains("\"events\":600,") && out.contains("\"errors\":0,"), out);

        // a stable sort of the file by time, split by user, is what each key must carry
        List<Row> expected = new ArrayList<>(rows);
        expected.sort(Comparator.comparingLong(Row::time));
        Map<Integer, List<Row>> perUser = new HashMap<>();
        expected.forEach(r -> perUser.computeIfAbsent(r.user(), u -> new ArrayList<>()).add(r));

        Map<Integer, List<Row>> got = new HashMap<>();
        List<ConsumerRecord<String, String>> records = consume("ratings", 600);
        assertEquals(600, records.size());
        long bytes = 0;
        for (ConsumerRecord<String, String> rec : records) {
            bytes += rec.serializedKeySize() + rec.serializedValueSize();
            Matcher m = EVENT.matcher(rec.value());
            assertTrue(m.matches(), rec.value());
            Row r = new Row(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Double.parseDouble(m.group(3)),
                    Long.parseLong(m.group(4)));
            assertEquals(rec.key(), Integer.toString(r.user()));
            got.computeIfAbsent(r.user(), u -> new ArrayList<>()).add(r);
        }
        assertEquals(perUser, got);
        assertTrue(out.contains("\"bytes\":" + bytes + ","), bytes + " bytes, " + out);
    }

    @Test
    void holdsTheRateAndTheLimit() throws Exception {
        String topic = "paced";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
        }
        Path bundled = Path.of("src/main/resources/ml-latest-small/ratings.csv");
        long t0 = System.nanoTime();
        String out = capture(0, "replay", "--ratings", bundled.toString(), "--bootstrap-servers",
                kafka.bootstrapServers(), "--topic", topic, "--rate", "500", "--limit", "1000", "--json");
        double sendSeconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(out.contains("\"events\":1000,"), out);
        // 1000 events at 500/s: the last one is due 1.998 s after the first; a lower bound only
        Matcher seconds = Pattern.compile("\"seconds\":([0-9.]+)").matcher(out);
        assertTrue(seconds.find(), out);
        assertTrue(Double.parseDouble(seconds.group(1)) >= 1.5, out);
        assertTrue(sendSeconds >= 1.5, "took " + sendSeconds);
        assertEquals(1000, consume(topic, 1000).size());
    }

    /** Issue #17: the compose file's one-shot sample loader replays only into a topic nothing was ever written to. */
    @Test
    void ifEmptyReplaysOnceAndThenNothing() throws Exception {
        String topic = "loaded-once";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        }
        Path bundled = Path.of("src/main/resources/ml-latest-small/ratings.csv");
        String first = capture(0, "replay", "--ratings", bundled.toString(), "--bootstrap-servers",
                kafka.bootstrapServers(), "--topic", topic, "--limit", "300", "--if-empty", "--json");
        assertTrue(first.contains("\"events\":300,"), first);
        String second = capture(0, "replay", "--ratings", bundled.toString(), "--bootstrap-servers",
                kafka.bootstrapServers(), "--topic", topic, "--limit", "300", "--if-empty", "--json");
        assertTrue(second.contains("\"skipped\":\"topic_not_empty\"") && second.contains("\"records\":300"), second);
        assertEquals(300, consume(topic, 300).size(), "the second run produced nothing");
    }

    @Test
    void explainsWhatIsMissing() throws Exception {
        Path csv = dir.resolve("one.csv");
        Files.writeString(csv, "userId,movieId,rating,timestamp\n1,2,3.0,4\n");
        String err = captureErr(2, "replay", "--ratings", csv.toString());
        assertTrue(err.contains("--bootstrap-servers"), err);
        err = captureErr(1, "replay", "--ratings", csv.toString(), "--bootstrap-servers", kafka.bootstrapServers(),
                "--topic", "no-such-topic");
        assertTrue(err.contains("no-such-topic does not exist"), err);
    }

    @Test
    void producesTheCatalogueBeforeTheRatingsAndWritesTheReplayedUsers() throws Exception {
        Path moviesCsv = dir.resolve("movies.csv");
        Files.writeString(moviesCsv, "movieId,title,genres\n"
                + "7,\"Comma, The (1999)\",Comedy|Drama\n"
                + "3,Plain (2001),(no genres listed)\n"
                + "12,Third (2002),Horror\n");
        Path csv = dir.resolve("catalogued.csv");
        Files.writeString(csv, "userId,movieId,rating,timestamp\n"
                + "5,7,4.0,300\n" + "2,3,3.5,100\n" + "9,12,1.0,400\n" + "2,12,5.0,200\n" + "4,7,2.0,500\n");
        String topic = "catalogued";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
        }
        awaitDescribed(topic);
        Path users = dir.resolve("users.txt");
        String out = capture(0, "replay", "--ratings", csv.toString(), "--movies", moviesCsv.toString(),
                "--bootstrap-servers", kafka.bootstrapServers(), "--create-topics", "--topic", topic,
                "--limit", "4", "--users-out", users.toString(), "--json");
        assertTrue(out.contains("\"events\":4,") && out.contains("\"items\":3,"), out);
        // the first 4 events by time are users 2, 2, 5, 9
        assertEquals("2\n5\n9\n", Files.readString(users));

        List<ConsumerRecord<String, String>> items = consume(Topics.ITEMS, 3);
        assertEquals(3, items.size());
        Map<String, ItemCatalog.Item> byKey = new HashMap<>();
        ItemEventParser parser = new ItemEventParser();
        long lastItem = 0;
        for (ConsumerRecord<String, String> rec : items) {
            ItemEventParser.Result r = parser.parse(rec.value().getBytes(StandardCharsets.UTF_8));
            assertEquals(null, r.error(), rec.value());
            byKey.put(rec.key(), r.item());
            lastItem = Math.max(lastItem, rec.timestamp());
        }
        assertEquals(new ItemCatalog.Item(7, "Comma, The (1999)", List.of("Comedy", "Drama")), byKey.get("7"));
        assertEquals(new ItemCatalog.Item(3, "Plain (2001)", List.of()), byKey.get("3"));
        assertEquals(List.of("Horror"), byKey.get("12").genres());
        List<ConsumerRecord<String, String>> rated = consume(topic, 4);
        assertEquals(4, rated.size());
        for (ConsumerRecord<String, String> rec : rated) {
            assertTrue(rec.timestamp() >= lastItem, "a rating was sent before the last item was acknowledged");
        }
    }

    @Test
    void writesTheCountsTheServiceShouldStore() throws Exception {
        // in time order: 10 rates 3 and 5, 10 re-rates 3 (one pair), 20 rates 5, 30 rates 3; the last event
        // (10 rates 7, t=900) is past --limit
        Path csv = dir.resolve("counted.csv");
        Files.writeString(csv, "userId,movieId,rating,timestamp\n"
                + "10,7,4.0,900\n" + "20,5,2.0,300\n" + "10,3,4.0,100\n" + "10,3,1.5,250\n" + "10,5,3.0,200\n"
                + "30,3,5.0,400\n");
        String topic = "counted";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
        }
        awaitDescribed(topic);
        Path counts = dir.resolve("counts.txt");
        String out = capture(0, "replay", "--ratings", csv.toString(), "--bootstrap-servers",
                kafka.bootstrapServers(), "--topic", topic, "--limit", "5", "--counts-out", counts.toString(), "--json");
        assertTrue(out.contains("\"events\":5,"), out);
        assertEquals("user 10 2\nuser 20 1\nuser 30 1\nitem 3 2\nitem 5 2\n", Files.readString(counts));
    }

    /** Until the topic is in the metadata (it may be created moments before): what a user's script does. */
    private static void awaitDescribed(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (true) {
                try {
                    admin.describeTopics(List.of(topic)).allTopicNames().get();
                    return;
                } catch (java.util.concurrent.ExecutionException e) {
                    assertTrue(System.nanoTime() < deadline, e.toString());
                    Thread.sleep(20);
                }
            }
        }
    }

    private static List<ConsumerRecord<String, String>> consume(String topic, int expected) {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "replay-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(Collections.singletonList(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            // anything beyond the expected count would be a duplicate
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }
        return records;
    }

    private static String capture(int exit, String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(exit, Main.run(args), () -> buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(saved);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    private static String captureErr(int exit, String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(exit, Main.run(args), () -> buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
