package io.foldin.stream.topology;

import io.foldin.metrics.Metric;
import io.foldin.model.AlsParams;
import io.foldin.stream.event.DeadLetter;
import io.foldin.stream.event.RatingEvent;
import io.foldin.stream.event.RatingEventCodec;
import io.foldin.stream.event.UserKey;
import io.foldin.stream.live.ModelEpoch;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ratings from producers that do not place them on their user's owner partition: each is folded into the
 * owner's state exactly once, through one hop over ratings-rekeyed, and a well-placed one takes no hop.
 * The driver reads everything on partition 0 of 4, so a user owned by partition 1-3 arrives misplaced.
 */
class MisplacedRatingsTopologyTest {
    static final int PARTITIONS = 4;

    @TempDir
    Path dir;

    private TopologyFixture fixture() {
        StreamConfig c = StreamConfig.defaults("dummy:9092", dir).withParams(AlsParams.DEFAULT).withInitialMean(3.5)
                .withSweep(new StreamConfig.Sweep(0, 0, 5, 0.0, 1));
        return new TopologyFixture(c, ModelEpoch.initial(3.5, AlsParams.DEFAULT.factors()), PARTITIONS);
    }

    /** The n-th user id from {@code from} on whose owner is (or, with owned false, is not) partition 0. */
    private static int user(int from, boolean owned) {
        for (int u = from; ; u++) {
            if ((UserKey.partition(u, PARTITIONS) == 0) == owned) {
                return u;
            }
        }
    }

    /** Items on item partition 0: the driver's item-updates topic has only that one. */
    private static int item(int n) {
        for (int i = 1; ; i++) {
            if (ItemUpdateBundle.partitionOf(i, PARTITIONS) == 0 && n-- == 0) {
                return i;
            }
        }
    }

    private static byte[] value(int user, int item) {
        return RatingEventCodec.encode(new RatingEvent(user, item, 4f, 1_000_000L));
    }

    private static long rekeyed(TopologyFixture t, Misplaced reason) {
        return t.live.metrics().counter(Metric.REKEYED, reason.code()).sum();
    }

    @Test
    void misplacedRatingsReachTheOwnersStateOnceAndPlacedOnesTakeNoHop() {
        int placed = user(100, true);
        int wrongPartition = user(200, false);
        int keyless = user(300, false);
        int mismatched = user(400, false);
        int keylessButPlaced = user(500, true);
        int item = item(0);
        try (TopologyFixture t = fixture()) {
            // 1. the canonical key, on partition 0 which owns the user: folded in where it was read
            t.ratings.pipeInput(UserKey.of(placed), value(placed, item));
            assertTrue(t.rekeyed.isEmpty(), "a well-placed rating is not re-keyed");
            // 2. the canonical key, but a partitioner other than murmur2 put it on partition 0
            t.ratings.pipeInput(UserKey.of(wrongPartition), value(wrongPartition, item));
            // 3. no key at all
            t.ratings.pipeInput((byte[]) null, value(keyless, item));
            // 4. a key that names someone else (whose owner, partition 0, read it)
            t.ratings.pipeInput(UserKey.of(placed), value(mismatched, item));
            // 5. no key, but the partition it landed on owns the user: nothing to fix
            t.ratings.pipeInput((byte[]) null, value(keylessButPlaced, item));
            t.publish();

            List<TestRecord<byte[], byte[]>> hops = t.rekeyed.readRecordsToList();
            assertEquals(3, hops.size(), "one hop each for the three misplaced ratings");
            int[] expected = {wrongPartition, keyless, mismatched};
            for (int k = 0; k < 3; k++) {
                assertArrayEquals(UserKey.of(expected[k]), hops.get(k).key(), "re-keyed with the canonical key");
                assertArrayEquals(value(expected[k], item), hops.get(k).value(), "value unchanged");
            }
            assertEquals(1, rekeyed(t, Misplaced.WRONG_PARTITION));
            assertEquals(1, rekeyed(t, Misplaced.NO_KEY));
            assertEquals(1, rekeyed(t, Misplaced.KEY_MISMATCH));

            for (int u : new int[] {placed, wrongPartition, keyless, mismatched, keylessButPlaced}) {
                EntityState s = t.userState(u);
                assertNotNull(s, "user " + u + " has a state");
                assertEquals(1, s.count(), "user " + u + " folded in once");
                assertEquals(4f, RatingKey.rating(t.ratings().get(u, item)), 0f);
            }
            assertEquals(5, t.live.metrics().counter(Metric.EVENTS, "user").sum(),
                    "five events, each folded in once");
            assertTrue(t.dlq.isEmpty());
        }
    }

    @Test
    void aMalformedMisplacedEventIsDeadLetteredWithItsOriginalSourceAndNotRekeyed() {
        try (TopologyFixture t = fixture()) {
            t.raw(null, "{\"userId\":" + user(200, false) + ",\"itemId\":2,\"rating\":9}");
            TestRecord<byte[], byte[]> r = t.dlq.readRecord();
            assertEquals("rating_out_of_range", DeadLetter.header(r.headers(), DeadLetter.REASON));
            assertEquals("ratings-0@0", DeadLetter.header(r.headers(), DeadLetter.SOURCE));
            assertTrue(t.rekeyed.isEmpty());
        }
    }

    @Test
    void aReratingThroughAnotherClientUpdatesTheSameState() {
        int u = user(200, false);
        int a = item(0);
        int b = item(1);
        try (TopologyFixture t = fixture()) {
            t.ratings.pipeInput(UserKey.of(u), value(u, a));
            t.ratings.pipeInput((byte[]) null, RatingEventCodec.encode(new RatingEvent(u, a, 2f, 1_000_001L)));
            t.ratings.pipeInput("someone".getBytes(StandardCharsets.US_ASCII), value(u, b));
            t.publish();
            assertEquals(2, t.userState(u).count(), "one re-rate, one new item: two ratings in one state");
            assertEquals(2f, RatingKey.rating(t.ratings().get(u, a)), 0f);
        }
    }

    /** items is read whole by every instance, so no hop: but the body's itemId, not the key, names the item. */
    @Test
    void itemEventsLandUnderTheirBodysItemIdWhateverTheKey() {
        try (TopologyFixture t = fixture()) {
            t.items.pipeInput((byte[]) null, itemEvent(41, "Keyless"));
            t.items.pipeInput("7".getBytes(StandardCharsets.US_ASCII), itemEvent(42, "Other key"));
            t.items.pipeInput("item-43".getBytes(StandardCharsets.US_ASCII), itemEvent(43, "Odd key"));
            org.apache.kafka.streams.state.KeyValueStore<Integer, byte[]> store = t.driver.getKeyValueStore(Stores.ITEMS);
            for (int id = 41; id <= 43; id++) {
                assertNotNull(t.live.catalog().get(id), "item " + id + " in the catalogue");
                assertArrayEquals(itemEvent(id, t.live.catalog().get(id).title()), store.get(id), "stored under " + id);
            }
            assertEquals(null, t.live.catalog().get(7));
            assertEquals(null, store.get(7));
        }
    }

    private static byte[] itemEvent(int id, String title) {
        return ("{\"itemId\":" + id + ",\"title\":\"" + title + "\",\"genres\":[\"Drama\"]}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
