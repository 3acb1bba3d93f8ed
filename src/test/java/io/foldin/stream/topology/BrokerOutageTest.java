package io.foldin.stream.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.foldin.data.RatingLog;
import io.foldin.data.RatingsReader;
import io.foldin.data.ReadOptions;
import io.foldin.metrics.Metrics;
import io.foldin.stream.kafka.BrokerChild;
import io.foldin.stream.kafka.Topics;
import io.foldin.stream.replay.ReplayConfig;
import io.foldin.stream.replay.ReplayReport;
import io.foldin.stream.replay.Replayer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue #16: a broker stopped for 10 s mid-replay and restarted, and the service recovers without a restart
 * and loses nothing. The broker runs in a child JVM and is killed with SIGKILL, because a crash is the
 * outage that gives clients nothing (no controlled shutdown, no leader handover, unacknowledged batches in
 * flight) and makes the broker recover its logs on restart; it comes back on the same port and data. The
 * streams instance (at_least_once, the default) runs in this JVM throughout, and the replay's producer
 * retries across the outage (its delivery timeout, 60 s, exceeds it).
 */
class BrokerOutageTest {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerOutageTest.class);
    private static final String APP = "foldin-outage";
    private static final Path RATINGS = Path.of("src/main/resources/ml-latest-small/ratings.csv");
    private static final int EVENTS = 24_000;
    private static final double RATE = 1_000;
    private static final Duration OUTAGE = Duration.ofSeconds(10);
    private static final Duration READY = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    @Test
    void aTenSecondBrokerOutageMidReplayLosesNothing() throws Exception {
        RatingLog replayed = firstByTime(RatingsReader.read(RATINGS, ReadOptions.defaults()).log(), EVENTS);
        Expected expected = Expected.of(replayed);
        Path data = tmp.resolve("kafka");
        Path log = tmp.resolve("broker.log");
        BrokerChild.Handle broker = BrokerChild.start(data, 0, log, READY);
        try (FoldinStreams s = FoldinStreams.start(StreamConfig.defaults(broker.bootstrapServers(), tmp.resolve("state"))
                .withApplicationId(APP), Topics.singleNode(), new Metrics())) {
            assertTrue(s.awaitRunning(Duration.ofSeconds(60)), "streams running");
            Replayer replayer = new Replayer(new ReplayConfig(broker.bootstrapServers(), Topics.RATINGS, RATE, 0,
                    Map.of(), Duration.ofSeconds(60)));
            long t0 = System.nanoTime();
            CompletableFuture<ReplayReport> replay = CompletableFuture.supplyAsync(
                    () -> replayer.run(replayed, replayed.timeOrder(), Replayer.Listener.NONE));

            Thread.sleep(6_000);
            broker.kill();
            LOG.info("broker killed (SIGKILL) {} s into the replay", (System.nanoTime() - t0) / 1_000_000_000);
            Thread.sleep(OUTAGE.toMillis());
            broker = BrokerChild.start(data, broker.port(), log, READY);
            LOG.info("broker back on {} {} s into the replay", broker.bootstrapServers(),
                    (System.nanoTime() - t0) / 1_000_000_000);

            ReplayReport r = replay.get(120, TimeUnit.SECONDS);
            LOG.info("replay: {}", r);
            assertEquals(EVENTS, r.delivered(), "delivered across the outage: " + r);
            assertEquals(0, r.errors(), "first error " + r.firstError());

            try (TopicProbe probe = new TopicProbe(broker.bootstrapServers())) {
                awaitProcessed(probe, EVENTS);
            }
            LOG.info("all processed {} s after the replay began", (System.nanoTime() - t0) / 1_000_000_000);
            expected.assertStoredBy(s);
        } finally {
            broker.kill();
        }
    }

    /** The first {@code n} events of the log in replay (time) order, as a log of their own. */
    private static RatingLog firstByTime(RatingLog all, int n) {
        RatingLog out = new RatingLog();
        int[] order = all.timeOrder();
        for (int k = 0; k < n; k++) {
            int row = order[k];
            out.add(all.users().idOf(all.user(row)), all.items().idOf(all.item(row)), all.rating(row), all.time(row));
        }
        return out;
    }

    /**
     * Until the group has committed all n ratings and, past each partition's last item update, the item side
     * too (at_least_once writes no transactions, so read_committed sees every record).
     */
    private static void awaitProcessed(TopicProbe probe, int n) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (probe.committedSum(APP, Topics.RATINGS) < n) {
            assertTrue(System.nanoTime() < deadline, "ratings committed: " + probe.committedSum(APP, Topics.RATINGS));
            Thread.sleep(100);
        }
        Map<Integer, Long> last = probe.read(Topics.ITEM_UPDATES, "read_committed").lastOffset();
        while (true) {
            Map<Integer, Long> done = probe.committed(APP, Topics.ITEM_UPDATES);
            if (last.entrySet().stream().allMatch(e -> done.getOrDefault(e.getKey(), 0L) > e.getValue())) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "item updates not all committed: " + done + " of " + last);
            Thread.sleep(100);
        }
    }

}
