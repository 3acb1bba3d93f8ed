package io.foldin.stream.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One real broker for the whole class: topics, plain produce/consume, exactly-once transactions. */
class EmbeddedKafkaTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    @TempDir
    Path streamsState;

    private static EmbeddedKafka kafka;
    private static Admin admin;
    private static Set<String> createdAtStart;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start(new EmbeddedKafkaConfig(dir.resolve("kafka"), 0, true));
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
        createdAtStart = Topics.singleNode().createMissing(admin);
    }

    @AfterAll
    static void stopBroker() {
        if (admin != null) {
            admin.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void createsEveryDeclaredTopicOnceWithItsConfig() throws Exception {
        Topics topics = Topics.singleNode();
        Set<String> declared = topics.specs().stream().map(Topics.Spec::name).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(declared, createdAtStart);
        assertEquals(Set.of(), topics.createMissing(admin), "second call creates nothing");

        Map<String, TopicDescription> described = admin.describeTopics(declared).allTopicNames().get();
        assertEquals(Topics.DEFAULT_PARTITIONS, described.get(Topics.RATINGS).partitions().size());
        assertEquals(1, described.get(Topics.RATINGS_DLQ).partitions().size());

        for (String name : List.of(Topics.USER_FACTORS, Topics.ITEM_FACTORS, Topics.RATINGS)) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
            String policy = admin.describeConfigs(List.of(resource)).all().get().get(resource)
                    .get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
            String expected = name.equals(Topics.RATINGS) ? TopicConfig.CLEANUP_POLICY_DELETE : TopicConfig.CLEANUP_POLICY_COMPACT;
            assertEquals(expected, policy, name);
        }
    }

    @Test
    void producesAndConsumesWithAConsumerGroup() {
        try (KafkaProducer<String, String> producer = TestClients.producer(kafka.bootstrapServers(), Map.of())) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>(Topics.RATINGS, "u" + (i % 7), "r" + i));
            }
        }
        try (KafkaConsumer<String, String> consumer = TestClients.consumer(kafka.bootstrapServers(), "plain", Map.of())) {
            consumer.subscribe(List.of(Topics.RATINGS));
            List<ConsumerRecord<String, String>> got = TestClients.poll(consumer, 100, WAIT);
            assertEquals(100, got.size());
            // Same key, same partition, in order: what the user processor relies on.
            Map<String, List<Integer>> perKey = new HashMap<>();
            got.forEach(r -> perKey.computeIfAbsent(r.key(), k -> new java.util.ArrayList<>())
                    .add(Integer.parseInt(r.value().substring(1))));
            perKey.values().forEach(seq -> assertEquals(seq.stream().sorted().toList(), seq));
            consumer.commitSync();
        }
    }

    /**
     * The exactly_once_v2 pattern on one broker: read, write in a transaction, commit the input offsets in the
     * same transaction; an aborted transaction stays invisible to read_committed consumers.
     */
    @Test
    void transactionsCommitAtomicallyWithOffsetsAndAbortInvisibly() throws Exception {
        String bootstrap = kafka.bootstrapServers();
        try (KafkaProducer<String, String> producer = TestClients.producer(bootstrap, Map.of())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(Topics.ITEMS, "i" + i, "item " + i));
            }
        }
        Map<String, Object> txn = Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "eos-test",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        Map<String, Object> committedOnly = Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, String> input = TestClients.consumer(bootstrap, "eos", committedOnly);
             KafkaProducer<String, String> producer = TestClients.producer(bootstrap, txn)) {
            producer.initTransactions();
            input.subscribe(List.of(Topics.ITEMS));
            List<ConsumerRecord<String, String>> in = TestClients.poll(input, 10, WAIT);
            assertEquals(10, in.size());

            producer.beginTransaction();
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            for (ConsumerRecord<String, String> r : in) {
                producer.send(new ProducerRecord<>(Topics.ITEM_UPDATES, r.key(), "updated " + r.value()));
                offsets.merge(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1),
                        (a, b) -> a.offset() >= b.offset() ? a : b);
            }
            producer.sendOffsetsToTransaction(offsets, input.groupMetadata());
            producer.commitTransaction();

            producer.beginTransaction();
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(Topics.ITEM_UPDATES, "aborted" + i, "never visible"));
            }
            producer.flush();
            producer.abortTransaction();

            // A committed marker behind the aborted records in every partition: once all markers are read,
            // any visible aborted record would have been read too.
            producer.beginTransaction();
            for (int partition = 0; partition < Topics.DEFAULT_PARTITIONS; partition++) {
                producer.send(new ProducerRecord<>(Topics.ITEM_UPDATES, partition, "end", "end"));
            }
            producer.commitTransaction();

            assertEquals(offsets, admin.listConsumerGroupOffsets("eos").partitionsToOffsetAndMetadata().get()
                    .entrySet().stream().filter(e -> e.getKey().topic().equals(Topics.ITEMS))
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> new OffsetAndMetadata(e.getValue().offset()))));
        }
        try (KafkaConsumer<String, String> output = TestClients.consumer(bootstrap, "eos-out", committedOnly)) {
            output.subscribe(List.of(Topics.ITEM_UPDATES));
            List<ConsumerRecord<String, String>> out = TestClients.poll(output, 10 + Topics.DEFAULT_PARTITIONS, WAIT);
            assertEquals(10 + Topics.DEFAULT_PARTITIONS, out.size());
            assertEquals(10, out.stream().filter(r -> r.value().startsWith("updated item ")).count());
            assertTrue(out.stream().noneMatch(r -> r.value().equals("never visible")), "aborted records are invisible");
        }
    }
    /**
     * Kafka Streams with exactly_once_v2 and a RocksDB store on the single broker: the guarantee of
     * docs/design.md §3.4, and proof that the rocksdbjni native library loads next to the broker.
     */
    @Test
    void streamsExactlyOnceV2CountsIntoARocksDbStore() throws Exception {
        String in = "eos-streams-in";
        String out = "eos-streams-out";
        admin.createTopics(List.of(new NewTopic(in, 2, (short) 1), new NewTopic(out, 2, (short) 1))).all().get();
        try (KafkaProducer<String, String> producer = TestClients.producer(kafka.bootstrapServers(), Map.of())) {
            for (int i = 0; i < 30; i++) {
                producer.send(new ProducerRecord<>(in, "k" + (i % 3), "v" + i));
            }
        }
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(in, Consumed.with(Serdes.String(), Serdes.String()))
                .groupByKey().count()
                .toStream().mapValues(String::valueOf)
                .to(out, Produced.with(Serdes.String(), Serdes.String()));
        Map<String, Object> props = Map.of(
                StreamsConfig.APPLICATION_ID_CONFIG, "eos-streams",
                StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2,
                StreamsConfig.STATE_DIR_CONFIG, streamsState.toString(),
                StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        try (KafkaStreams streams = new KafkaStreams(builder.build(), new StreamsConfig(props));
             KafkaConsumer<String, String> consumer = TestClients.consumer(kafka.bootstrapServers(), "eos-streams-check",
                     Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            streams.start();
            consumer.subscribe(List.of(out));
            Map<String, String> latest = new HashMap<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!latest.equals(Map.of("k0", "10", "k1", "10", "k2", "10")) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> latest.put(r.key(), r.value()));
            }
            assertEquals(Map.of("k0", "10", "k1", "10", "k2", "10"), latest);
        }
    }
}
