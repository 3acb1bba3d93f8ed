package io.foldin.stream.topology;

import io.foldin.data.RatingLog;
import io.foldin.data.RatingsReader;
import io.foldin.data.ReadOptions;
import io.foldin.model.AlsParams;
import io.foldin.stream.kafka.EmbeddedKafka;
import io.foldin.stream.kafka.EmbeddedKafkaConfig;
import io.foldin.stream.kafka.Topics;
import io.foldin.stream.replay.ReplayConfig;
import io.foldin.stream.replay.Replayer;
import io.foldin.stream.sweep.SweepWire;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Three instances in JVMs of their own; one is SIGKILLed in the middle of a gathered sweep (docs/design.md §2.9):
 * the leader while it computes, or an instance that is not the leader. The other two finish the sweep or abandon
 * it, sweep again, and in the end every rating is counted exactly once in the statistics, as in
 * {@link CrashRestartTest}.
 */
class KillMidSweepTest {
    private static final Logger LOG = LoggerFactory.getLogger(KillMidSweepTest.class);
    private static final Path RATINGS = Path.of("src/main/resources/ml-latest-small/ratings.csv");
    private static final int INSTANCES = 3;

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "kill the {0}")
    @ValueSource(strings = {"leader", "follower"})
    void survivorsSweepAgainAndLoseNothing(String victim) throws Exception {
        // The ratings of users 1..250 (about 40,000): enough for sweeps of seconds, short enough for CI.
        RatingLog all = RatingsReader.read(RATINGS, ReadOptions.defaults()).log();
        RatingLog ratings = new RatingLog();
        for (int k = 0; k < all.size(); k++) {
            if (all.users().idOf(all.user(k)) <= 250) {
                ratings.add(all.users().idOf(all.user(k)), all.items().idOf(all.item(k)), all.rating(k), all.time(k));
            }
        }
        Expected expected = Expected.of(ratings);
        List<Process> children = new ArrayList<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(new EmbeddedKafkaConfig(tmp.resolve("kafka"), 0, true));
             TopicProbe probe = new TopicProbe(kafka.bootstrapServers());
             KafkaConsumer<byte[], byte[]> control = controlReader(kafka.bootstrapServers())) {
            List<Path> logs = new ArrayList<>();
            for (int k = 0; k < INSTANCES; k++) {
                Path log = tmp.resolve("child-" + k + ".log");
                logs.add(log);
                children.add(ScaleOutChild.start(kafka.bootstrapServers(), tmp.resolve("state-" + k), log));
            }
            Map<String, Integer> byInstance = new HashMap<>();
            for (int k = 0; k < INSTANCES; k++) {
                awaitOutput(children.get(k), logs.get(k), "running");
                byInstance.put(instanceOf(logs.get(k)), k);
            }
            // Let the group settle on all three before anything is stored, so no task moves with state yet.
            Thread.sleep(3_000);
            var report = new Replayer(ReplayConfig.of(kafka.bootstrapServers(), Topics.RATINGS))
                    .run(ratings, ratings.timeOrder(), Replayer.Listener.NONE);
            assertEquals(ratings.size(), report.delivered(), "produced");

            SweepWire.Start start = awaitStart(control, Duration.ofMinutes(2));
            int leader = byInstance.get(start.leader());
            int killed = victim.equals("leader") ? leader : (leader + 1) % INSTANCES;
            if (victim.equals("leader")) {
                // The leader's first heartbeat: it has every partition's ratings and is computing.
                awaitHeartbeat(control, start.epoch(), Duration.ofMinutes(1));
            }
            children.get(killed).destroyForcibly();
            assertTrue(children.get(killed).waitFor(30, TimeUnit.SECONDS), "child killed");
            LOG.info("killed instance {} ({}) during the sweep of epoch {}", killed, victim, start.epoch());

            // A sweep that ends after the kill: the killed one finished or abandoned, then the survivors' own.
            awaitAll(probe, ratings.size());
            int after = awaitSweepAfter(control, start.epoch(), Duration.ofMinutes(3));
            LOG.info("a sweep of epoch {} completed after the kill", after);
            awaitCounts(probe, expected, children, logs);
        } finally {
            for (Process p : children) {
                p.destroyForcibly();
            }
        }
    }

    private static KafkaConsumer<byte[], byte[]> controlReader(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> tps = new ArrayList<>();
        tps.add(new TopicPartition(Topics.SWEEP_CONTROL, 0));
        tps.add(new TopicPartition(Topics.MODEL, 0));
        c.assign(tps);
        c.seekToBeginning(tps);
        return c;
    }

    private static SweepWire.Start awaitStart(KafkaConsumer<byte[], byte[]> control, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : control.poll(Duration.ofMillis(100))) {
                if (r.topic().equals(Topics.SWEEP_CONTROL) && SweepWire.decode(r.value()) instanceof SweepWire.Start s) {
                    return s;
                }
            }
        }
        return fail("no sweep started");
    }

    private static void awaitHeartbeat(KafkaConsumer<byte[], byte[]> control, int epoch, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : control.poll(Duration.ofMillis(20))) {
                if (r.topic().equals(Topics.SWEEP_CONTROL) && SweepWire.decode(r.value()) instanceof SweepWire.Heartbeat h
                        && h.epoch() == epoch) {
                    return;
                }
            }
        }
        fail("the leader of epoch " + epoch + " never started computing");
    }

    /** Waits for a new model epoch above {@code epoch}: a sweep started after the killed one completed. */
    private static int awaitSweepAfter(KafkaConsumer<byte[], byte[]> control, int epoch, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : control.poll(Duration.ofMillis(100))) {
                if (r.topic().equals(Topics.MODEL)) {
                    int e = io.foldin.stream.live.ModelEpoch.decode(r.value()).epoch();
                    if (e > epoch) {
                        return e;
                    }
                } else if (SweepWire.decode(r.value()) instanceof SweepWire.Abort a) {
                    LOG.info("sweep of epoch {} abandoned by {}: {}", a.epoch(), a.from(), a.reason());
                }
            }
        }
        return fail("no sweep completed after the one the kill interrupted");
    }

    private static void awaitAll(TopicProbe probe, int n) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (probe.committedSum(ScaleOutChild.APP, Topics.RATINGS) < n) {
            assertTrue(System.nanoTime() < deadline, "ratings not all committed");
            Thread.sleep(200);
        }
    }

    /**
     * The latest committed state of every user and item in the changelogs counts its ratings exactly once. Waited
     * for: the survivors' recovery sweep and their last commits come after the input offsets.
     */
    private static void awaitCounts(TopicProbe probe, Expected expected, List<Process> children, List<Path> logs)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        AssertionError last = null;
        while (System.nanoTime() < deadline) {
            try {
                for (String store : new String[] {Stores.USER_STATS, Stores.ITEM_STATS}) {
                    Map<Integer, Long> counts = new HashMap<>();
                    probe.read(ScaleOutChild.APP + "-" + store + "-changelog", "read_uncommitted").latest()
                            .forEach((k, v) -> {
                                if (v != null) {
                                    counts.put(k.getInt(0), EntityState.decode(v, AlsParams.DEFAULT.factors()).count());
                                }
                            });
                    Expected.assertSameEntries(store.equals(Stores.USER_STATS) ? expected.perUser() : expected.perItem(),
                            counts, store + " changelog: ratings counted per entity");
                }
                return;
            } catch (AssertionError e) {
                last = e;
                Thread.sleep(1_000);
            }
        }
        StringBuilder tail = new StringBuilder();
        for (int k = 0; k < children.size(); k++) {
            List<String> lines = Files.readAllLines(logs.get(k));
            tail.append("\n--- child ").append(k).append(children.get(k).isAlive() ? "" : " (dead)").append(":\n")
                    .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
        }
        throw new AssertionError(last.getMessage() + tail, last);
    }

    private static String instanceOf(Path log) throws Exception {
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith("instance ")) {
                return line.substring("instance ".length());
            }
        }
        return fail("no instance line in " + log);
    }

    private static void awaitOutput(Process child, Path log, String line) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!Files.readAllLines(log).contains(line)) {
            if (!child.isAlive() || System.nanoTime() > deadline) {
                fail("child did not print '" + line + "':\n" + Files.readString(log));
            }
            Thread.sleep(50);
        }
    }
}
