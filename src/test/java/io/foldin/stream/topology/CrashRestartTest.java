package io.foldin.stream.topology;

import io.foldin.data.RatingLog;
import io.foldin.data.RatingsReader;
import io.foldin.data.ReadOptions;
import io.foldin.data.Split;
import io.foldin.eval.Evaluation;
import io.foldin.eval.ModelKind;
import io.foldin.metrics.Metrics;
import io.foldin.model.AlsParams;
import io.foldin.model.SweepSolver;
import io.foldin.stream.kafka.EmbeddedKafka;
import io.foldin.stream.kafka.EmbeddedKafkaConfig;
import io.foldin.stream.kafka.Topics;
import io.foldin.stream.live.ModelEpoch;
import io.foldin.stream.prequential.ModelSnapshot;
import io.foldin.stream.replay.ReplayConfig;
import io.foldin.stream.replay.Replayer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issues #3 and #16: ml-latest-small (the 90% training part of {@code evaluate --split random:0.1 --seed 42})
 * through the topology under each guarantee, the streams instance killed twice mid-stream in a child JVM
 * (SIGKILL: no clean shutdown, nothing wiped) and restarted on the same state directory, then brought to
 * the end of the stream with no scheduled sweeps. Afterwards every (user, item) pair is stored once with its
 * rating, and each user's and item's statistics, in the stores and their changelogs, count each of its
 * ratings once, because the restart's recovery sweep rebuilt them from the stored ratings ({@link CrashRecovery}). Under exactly-once
 * item-updates also holds one committed record per rating. A cold sweep then gives the same factors (1e-4)
 * as an uninterrupted run, and the offline {@code evaluate} test RMSE (0.005).
 *
 * <p>The fold-in factors themselves are compared only through the sweep: they depend on timing, not
 * only on the events, because the user side reads item factors from the global table, which the
 * global thread fills asynchronously; a cold sweep is a function of the stored ratings alone.
 */
class CrashRestartTest {
    private static final Logger LOG = LoggerFactory.getLogger(CrashRestartTest.class);
    static final String APP = "foldin-eos";
    private static final Path RATINGS = Path.of("src/main/resources/ml-latest-small/ratings.csv");
    private static final int SWEEP_ITERATIONS = 15;
    private static final int SWEEP_EVERY = 10_000;
    private static final int KILLS = 2;

    @TempDir
    Path tmp;

    /**
     * The configuration of the child: warm 2-iteration sweeps every {@value #SWEEP_EVERY} events, so the kill
     * comes after some and the restart resumes their epoch; two stream threads, so the sweeps stop user tasks on
     * the other thread too; the service's default commit interval (1 s), so the kill lands well after a commit.
     */
    static StreamConfig config(String bootstrap, Path stateDir, String guarantee) {
        return StreamConfig.defaults(bootstrap, stateDir).withApplicationId(APP).withStreamThreads(2)
                .withGuarantee(guarantee).withCommitIntervalMs(1000)
                .withSweep(new StreamConfig.Sweep(SWEEP_EVERY, 0, 2, 0.0, 2));
    }

    /**
     * The restarted instance and the uninterrupted run: no scheduled sweeps, so whatever the kill left
     * inconsistent between the stores would still show in the counts after the rest of the stream.
     */
    static StreamConfig noSweeps(String bootstrap, Path stateDir, String guarantee) {
        return config(bootstrap, stateDir, guarantee).withSweep(new StreamConfig.Sweep(0, 0, 2, 0.0, 2));
    }

    @ParameterizedTest
    @ValueSource(strings = {StreamConfig.AT_LEAST_ONCE, StreamConfig.EXACTLY_ONCE_V2})
    void aKillMidStreamNeitherLosesNorDoublesARating(String guarantee) throws Exception {
        RatingLog all = RatingsReader.read(RATINGS, ReadOptions.defaults()).log();
        Split.TrainTest split = Split.random(all, 0.1, 42);
        RatingLog train = split.train();
        Expected expected = Expected.of(train);

        long t0 = System.nanoTime();
        ModelSnapshot crashed = crashedRun(train, expected, guarantee);
        long t1 = System.nanoTime();
        ModelSnapshot reference = uninterruptedRun(train, expected, guarantee);
        LOG.info("crashed run {} s, uninterrupted run {} s", (t1 - t0) / 1_000_000_000,
                (System.nanoTime() - t1) / 1_000_000_000);

        assertSameFactors(reference.users(), crashed.users(), "user");
        assertSameFactors(reference.items(), crashed.items(), "item");
        assertEquals(reference.mu(), crashed.mu(), 1e-9);

        Evaluation.Result offline = Evaluation.run(train, split.test(), null, 0, new Evaluation.Options(
                ModelKind.BIASED, AlsParams.DEFAULT, SWEEP_ITERATIONS, 2, 42, SweepSolver.CHOLESKY), null);
        double streamed = testRmse(crashed, train, split.test());
        LOG.info("test RMSE after the sweep {} / offline evaluate {}", streamed, offline.last().testRmse());
        assertEquals(offline.last().testRmse(), streamed, 0.005, "test RMSE of the swept model vs evaluate");
    }

    /** Kill the child mid-stream twice, restart in this JVM, check the stores and topics, sweep cold. */
    private ModelSnapshot crashedRun(RatingLog train, Expected expected, String guarantee) throws Exception {
        Path state = tmp.resolve("state-a");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(new EmbeddedKafkaConfig(tmp.resolve("kafka-a"), 0, true));
             TopicProbe probe = new TopicProbe(kafka.bootstrapServers())) {
            // Two kills: the second instance starts on what the first left (under at-least-once with its recovery
            // sweep requested) and dies in turn, a third of the stream later.
            for (int kill = 1; kill <= KILLS; kill++) {
                Path log = tmp.resolve("child-" + kill + ".log");
                Process child = StreamsChild.start(kafka.bootstrapServers(), state, guarantee, log);
                long atKill;
                try {
                    awaitOutput(child, log, "running");
                    if (kill == 1) {
                        produce(kafka.bootstrapServers(), train);
                    }
                    atKill = awaitCommitted(probe, child, (long) train.size() * kill / (KILLS + 1), log);
                    child.destroyForcibly();
                    assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child killed");
                } finally {
                    child.destroyForcibly();
                }
                LOG.info("kill {}: killed the child with {} of {} ratings committed", kill, atKill, train.size());
                assertTrue(atKill < train.size(), "killed before the end of the stream");
            }

            try (FoldinStreams s = FoldinStreams.start(noSweeps(kafka.bootstrapServers(), state, guarantee), Topics.singleNode(),
                    new Metrics())) {
                assertTrue(s.awaitRunning(Duration.ofSeconds(90)), "restarted instance running");
                int resumed = s.live().epoch().epoch();
                LOG.info("restarted in epoch {}", resumed);
                assertTrue(resumed >= 1, "the epoch of the sweeps before the kill is restored from topic model");
                // Under exactly-once too: a sweep spans the stream threads' transactions (CrashRecovery).
                assertNotNull(s.recovery(), "a crash asks for the recovery sweep");
                ModelEpoch r = s.recovery().get(2, TimeUnit.MINUTES);
                LOG.info("recovery sweep installed: epoch {}", r.epoch());
                awaitProcessed(probe, train.size());
                assertExactlyOnce(s, expected);
                assertChangelogsCommitted(probe, expected);
                if (StreamConfig.EXACTLY_ONCE_V2.equals(guarantee)) {
                    assertOneTransactionPerCommit(probe, train.size());
                }
                return sweep(s);
            }
        }
    }

    /**
     * Under exactly-once: item-updates holds one committed update per rating, and the kill left an open
     * transaction that the restart aborted. (The user side sends between commits: item-update bundles every
     * few ms, ratings changelog records and user factors every publish interval.)
     */
    private static void assertOneTransactionPerCommit(TopicProbe probe, int ratings) {
        TopicProbe.Contents committed = probe.read(Topics.ITEM_UPDATES, "read_committed", ItemUpdateBundle::count);
        assertEquals(ratings, committed.units(), "one committed item update per rating");
        long aborted = 0;
        for (String topic : new String[] {APP + "-" + Stores.USER_RATINGS + "-changelog", Topics.ITEM_UPDATES,
                Topics.USER_FACTORS}) {
            aborted += probe.read(topic, "read_uncommitted").records() - probe.read(topic, "read_committed").records();
        }
        assertTrue(aborted > 0, "the kill left an open transaction, aborted on restart");
    }

    /**
     * The same events with no kill; then a clean stop and a restart on the same state, which must be invisible:
     * no recovery sweep, the same factors to the bit (nothing re-solved or republished), and no restored
     * item-factor record counted as a fresh event.
     */
    private ModelSnapshot uninterruptedRun(RatingLog train, Expected expected, String guarantee) throws Exception {
        Path state = tmp.resolve("state-b");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(new EmbeddedKafkaConfig(tmp.resolve("kafka-b"), 0, true));
             TopicProbe probe = new TopicProbe(kafka.bootstrapServers())) {
            ModelSnapshot stopped;
            try (FoldinStreams s = FoldinStreams.start(noSweeps(kafka.bootstrapServers(), state, guarantee),
                    Topics.singleNode(), new Metrics())) {
                assertTrue(s.awaitRunning(Duration.ofSeconds(90)), "running");
                assertNull(s.recovery(), "a fresh start needs no recovery sweep");
                produce(kafka.bootstrapServers(), train);
                awaitProcessed(probe, train.size());
                assertExactlyOnce(s, expected);
                assertChangelogsCommitted(probe, expected);
                stopped = ModelSnapshot.of(s);
            }
            Metrics metrics = new Metrics();
            try (FoldinStreams s = FoldinStreams.start(noSweeps(kafka.bootstrapServers(), state, guarantee),
                    Topics.singleNode(), metrics)) {
                assertTrue(s.awaitRunning(Duration.ofSeconds(90)), "restarted");
                assertNull(s.recovery(), "a clean stop needs no recovery sweep");
                Thread.sleep(2_000); // a few publish intervals and commits: a republication would show by now
                ModelSnapshot restarted = ModelSnapshot.of(s);
                assertEquals(0.0, largestDifference(stopped.users(), restarted.users(), "user"), "user factors");
                assertEquals(0.0, largestDifference(stopped.items(), restarted.items(), "item"), "item factors");
                assertEquals(0, metrics.histogram("foldin_item_factor_age_seconds", "").count(),
                        "restored item factors are not fresh events");
                return sweep(s);
            }
        }
    }

    /**
     * Produces the log in time order, once the streams instance has created the topics and is running: an
     * idempotent producer that starts while a new partition's leader is still being elected lost its first
     * batch here (NOT_LEADER_OR_FOLLOWER, then OUT_OF_ORDER_SEQUENCE_NUMBER on every retry).
     */
    private static void produce(String bootstrap, RatingLog log) {
        var report = new Replayer(ReplayConfig.of(bootstrap, Topics.RATINGS)).run(log, log.timeOrder(),
                Replayer.Listener.NONE);
        assertEquals(log.size(), report.delivered(), "produced");
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

    /** Waits until the child has committed at least {@code n} ratings; returns how many it had. */
    private static long awaitCommitted(TopicProbe probe, Process child, long n, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            long c = probe.committedSum(APP, Topics.RATINGS);
            if (c >= n) {
                return c;
            }
            if (!child.isAlive()) {
                fail("child exited with " + child.exitValue() + ":\n" + Files.readString(log));
            }
            Thread.sleep(20);
        }
        fail("child committed too little in 90 s:\n" + Files.readString(log));
        return -1;
    }

    /**
     * Waits until the group has committed all n ratings and, past each partition's last committed item
     * update, the item side too.
     */
    private static void awaitProcessed(TopicProbe probe, int n) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (probe.committedSum(APP, Topics.RATINGS) < n) {
            assertTrue(System.nanoTime() < deadline, "ratings not all committed");
            Thread.sleep(100);
        }
        Map<Integer, Long> last = probe.read(Topics.ITEM_UPDATES, "read_committed").lastOffset();
        while (true) {
            Map<Integer, Long> done = probe.committed(APP, Topics.ITEM_UPDATES);
            if (last.entrySet().stream().allMatch(e -> done.getOrDefault(e.getKey(), 0L) > e.getValue())) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "item updates not all committed");
            Thread.sleep(100);
        }
    }

    /** The stores of a running instance against the ratings it was fed. */
    private static void assertExactlyOnce(FoldinStreams s, Expected expected) throws InterruptedException {
        expected.assertStoredBy(s);
        assertTableFollowsItemStats(s);
    }

    /**
     * What the stores hold in memory ({@link StatsStore}) reached the changelogs in the transactions that
     * committed the input: the latest committed state of every user and item counts its ratings.
     */
    private static void assertChangelogsCommitted(TopicProbe probe, Expected expected) {
        for (String store : new String[] {Stores.USER_STATS, Stores.ITEM_STATS}) {
            Map<Integer, Long> counts = new HashMap<>();
            probe.read(APP + "-" + store + "-changelog", "read_committed").latest().forEach((k, v) -> {
                if (v != null) {
                    counts.put(k.getInt(0), EntityState.decode(v, AlsParams.DEFAULT.factors()).count());
                }
            });
            Expected.assertSameEntries(store.equals(Stores.USER_STATS) ? expected.perUser() : expected.perItem(), counts,
                    store + " changelog: ratings counted per entity");
        }
    }


    /**
     * Every item in item-stats has its row in the in-memory table, published with its current rating count:
     * the table was restored on start and then followed the topic. Waits for the global thread.
     */
    private static void assertTableFollowsItemStats(FoldinStreams s) throws InterruptedException {
        Map<Integer, Long> counts = LocalStores.counts(s, Stores.ITEM_STATS);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String mismatch;
        do {
            mismatch = null;
            for (var e : counts.entrySet()) {
                if (s.live().items().rowOf(e.getKey()) < 0 || s.live().items().count(e.getKey()) != e.getValue()) {
                    mismatch = "item " + e.getKey() + " of " + counts.size() + ": " + e.getValue() + " ratings, table "
                            + s.live().items().count(e.getKey());
                    Thread.sleep(200);
                    break;
                }
            }
        } while (mismatch != null && System.nanoTime() < deadline);
        assertEquals(null, mismatch, "item table vs item-stats");
    }

    /** A cold sweep (seeded start: a function of the stored ratings only), then the swept model. */
    private static ModelSnapshot sweep(FoldinStreams s) throws Exception {
        ModelEpoch e = s.sweeps().requestSweep(SWEEP_ITERATIONS, false).get(2, TimeUnit.MINUTES);
        ModelSnapshot m = ModelSnapshot.of(s);
        assertEquals(e.epoch(), m.epoch());
        LOG.info("swept: epoch {}, {} ratings in {} ms", e.epoch(), e.sweep().ratings(), e.sweep().durationMs());
        return m;
    }

    private static void assertSameFactors(Map<Integer, float[]> expected, Map<Integer, float[]> actual, String side) {
        double worst = largestDifference(expected, actual, side);
        assertTrue(worst <= 1e-4, side + " factors differ by " + worst);
    }

    private static double largestDifference(Map<Integer, float[]> expected, Map<Integer, float[]> actual, String side) {
        assertEquals(expected.keySet(), actual.keySet(), side + " ids");
        double worst = 0;
        for (var e : expected.entrySet()) {
            float[] a = actual.get(e.getKey());
            for (int k = 0; k < a.length; k++) {
                worst = Math.max(worst, Math.abs(a[k] - e.getValue()[k]));
            }
        }
        LOG.info("{} factors: largest difference {}", side, worst);
        return worst;
    }

    /** RMSE over the test ratings whose user and item have training ratings, as evaluate's test_rmse. */
    private static double testRmse(ModelSnapshot m, RatingLog train, RatingLog test) {
        Expected known = Expected.of(train);
        double se = 0;
        int n = 0;
        for (int k = 0; k < test.size(); k++) {
            int u = test.users().idOf(test.user(k));
            int i = test.items().idOf(test.item(k));
            if (known.perUser().containsKey(u) && known.perItem().containsKey(i)) {
                double e = m.predict(u, i) - test.rating(k);
                se += e * e;
                n++;
            }
        }
        return Math.sqrt(se / n);
    }
}
