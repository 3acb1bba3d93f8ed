package io.foldin.stream.topology;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Streams internals foldin relies on ({@link PreCommitStore}), checked fast, so a Kafka upgrade that
 * changes them fails here and not only in the crash tests: Streams runs the hook before each commit, a record
 * forwarded from it reaches the owner's sink, and the layered stores hand the commit's changelog offsets to
 * RocksDB, which keeps them with the data across a reopen.
 */
class PreCommitStoreTest {
    @TempDir
    Path dir;

    /** Each input record queues one item update in the outbox; nothing sends it but the pre-commit hook. */
    private static final class Queueing implements Processor<byte[], byte[], byte[], byte[]> {
        private Outbox outbox;

        @Override
        public void init(ProcessorContext<byte[], byte[]> context) {
            outbox = context.getStateStore("outbox");
            outbox.attach(context, 1, (partition, bundle, timestamp) ->
                    context.forward(new Record<>(FoldinTopology.intKey(partition), bundle, timestamp), "out-sink"));
        }

        @Override
        public void process(Record<byte[], byte[]> rec) {
            outbox.add(7, rec.timestamp(), new ItemUpdate(ItemUpdate.Kind.ADD, 1, 4f, Float.NaN, 0, new float[3]));
        }
    }

    @Test
    void streamsRunsTheHookBeforeEachCommitAndItsForwardsReachTheSink() {
        Topology t = new Topology();
        t.addSource("in", new ByteArrayDeserializer(), new ByteArrayDeserializer(), "in");
        t.addProcessor("queueing", Queueing::new, "in");
        t.addStateStore(Outbox.builder("outbox", 2), "queueing");
        t.addSink("out-sink", "out", new ByteArraySerializer(), new ByteArraySerializer(), "queueing");
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "pre-commit-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(t, p)) {
            TestInputTopic<byte[], byte[]> in = driver.createInputTopic("in", new ByteArraySerializer(),
                    new ByteArraySerializer());
            TestOutputTopic<byte[], byte[]> out = driver.createOutputTopic("out", new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
            in.pipeInput(new byte[] {1}, new byte[] {1});
            in.pipeInput(new byte[] {2}, new byte[] {2});
            List<byte[]> bundles = out.readValuesToList();
            assertEquals(2, bundles.size(), "one bundle per commit (the driver commits after each record)");
            for (byte[] b : bundles) {
                assertEquals(1, ItemUpdateBundle.count(b));
            }
        }
    }

    @Test
    void theCommittedChangelogOffsetIsKeptByRocksDbBehindTheLayer() {
        TopicPartition changelog = new TopicPartition("app-user-ratings-changelog", 0);
        RatingsStore store = open();
        assertTrue(store.managesOffsets(), "the layer reports RocksDB's own offset management");
        store.put(3, 9, RatingKey.value(4.5f, 100));
        store.flushCache();
        store.commit(Map.of(changelog, 42L));
        assertEquals(42L, store.committedOffset(changelog));
        store.close();

        RatingsStore reopened = open();
        assertEquals(42L, reopened.committedOffset(changelog), "offset persisted with the data");
        assertArrayEquals(RatingKey.value(4.5f, 100), reopened.get(3, 9));
        reopened.close();
    }

    private RatingsStore open() {
        return RatingsStoreTest.open(dir);
    }
}
