package io.foldin.stream.sweep;

import io.foldin.metrics.Metrics;
import io.foldin.model.AlsParams;
import io.foldin.model.SufficientStats;
import io.foldin.stream.live.LiveModel;
import io.foldin.stream.live.ModelEpoch;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pieces of a gathered sweep without Kafka: the records, the leader's gathering, the received outcome. */
class GatheredSweepTest {
    static final AlsParams PARAMS = new AlsParams(4, 1.0, 15.0, 3.0);

    @Test
    void everyRecordSurvivesTheWire() {
        ByteBuffer body = ByteBuffer.allocate(24).putInt(1).putInt(2).putFloat(3.5f).putInt(4).putInt(5).putFloat(1f).flip();
        List<SweepWire.Message> all = List.of(new SweepWire.Start(7, 10, true, "a"),
                new SweepWire.Abort(7, "b", "no ratings from partitions [2]"), new SweepWire.Heartbeat(7),
                new SweepWire.Request(0, 15, false, true, "c"), new SweepWire.DataEnd(7, 3, "a", 123_456_789_012L),
                new SweepWire.ResultEnd(7, 42, "a", new byte[] {1, 2, 3}));
        for (SweepWire.Message m : all) {
            SweepWire.Message back = SweepWire.decode(SweepWire.encode(m));
            if (m instanceof SweepWire.ResultEnd e) {
                SweepWire.ResultEnd b = assertInstanceOf(SweepWire.ResultEnd.class, back);
                assertEquals(e.records(), b.records());
                assertArrayEquals(e.modelEpoch(), b.modelEpoch());
            } else {
                assertEquals(m, back);
            }
        }
        SweepWire.Ratings r = assertInstanceOf(SweepWire.Ratings.class,
                SweepWire.decode(SweepWire.encode(new SweepWire.Ratings(7, 2, "a", 2, body))));
        assertEquals(2, r.n());
        assertEquals(2, r.partition());
        assertEquals(3.5f, r.body().getFloat(8));
        assertEquals(5, r.body().getInt(16));
        assertNull(SweepWire.decode(new byte[] {99, 0, 0, 0, 7}), "a kind from a newer peer is skipped");
    }

    @Test
    void theLeaderTakesTheFirstCompleteSenderOfEachPartitionInPartitionOrder() {
        Gathering g = new Gathering(new SweepWire.Start(3, 2, false, "a"), 2);
        assertFalse(g.add(ratings(3, 1, "b", 10, 11)));
        // A sender whose end count does not match what arrived is not taken.
        assertFalse(g.add(new SweepWire.DataEnd(3, 1, "b", 5)));
        assertEquals(List.of(0, 1), new ArrayList<>(g.missing()));
        assertFalse(g.add(ratings(3, 1, "c", 12)));
        assertFalse(g.add(new SweepWire.DataEnd(3, 1, "c", 1)));
        assertFalse(g.add(ratings(3, 0, "a", 20, 21, 22)));
        assertTrue(g.add(new SweepWire.DataEnd(3, 0, "a", 3)));
        List<Integer> users = new ArrayList<>();
        g.feed((user, item, rating, ts) -> users.add(user));
        assertEquals(List.of(20, 21, 22, 12), users, "partition 0 first, partition 1 from its complete sender");
    }

    /** What travels to the other instances installs the same factors and (to float32) the same statistics. */
    @Test
    void aReceivedSweepAnswersAsTheLeadersOwn() {
        Sweeper.Collector c = new Sweeper.Collector(0.0, 64);
        Random rnd = new Random(42);
        for (int u = 1; u <= 30; u++) {
            for (int i = 1; i <= 12; i++) {
                if (rnd.nextInt(3) > 0) {
                    c.add(u, 100 + i, 0.5f + rnd.nextInt(10) * 0.5f, 0);
                }
            }
        }
        LiveModel live = new LiveModel(PARAMS.factors(), ModelEpoch.initial(3.5, PARAMS.factors()), new Metrics());
        SweepResult local = new Sweeper(PARAMS, 1, 42).run(c, null, live.catalog(), live.epoch(), 1, 3);

        int d = PARAMS.factors();
        GatheredOutcome received = new GatheredOutcome(d);
        double[] tmp = new double[d + 1];
        // Through the leader's writer and the wire, as another instance receives it.
        GatheredOutcome.write(local, d, m -> {
            SweepWire.Message back = SweepWire.decode(SweepWire.encode(m));
            if (back instanceof SweepWire.Users u) {
                received.addUsers(u);
            } else {
                received.addItems((SweepWire.Items) back);
            }
        });
        received.setEpoch(local.epoch());

        float[] a = new float[d + 1];
        float[] b = new float[d + 1];
        for (int u = 0; u < local.users().size(); u++) {
            assertTrue(received.userFactor(local.users().idOf(u), b));
            local.userFactor(local.users().idOf(u), a);
            assertArrayEquals(a, b);
        }
        SufficientStats sa = new SufficientStats(d);
        SufficientStats sb = new SufficientStats(d);
        List<Integer> ids = new ArrayList<>();
        received.forEachItem(ids::add);
        assertEquals(local.items().size(), ids.size());
        for (int id : ids) {
            assertTrue(local.itemStats(id, sa, a, tmp));
            assertTrue(received.itemStats(id, sb, b, tmp));
            assertArrayEquals(a, b);
            assertEquals(sa.count(), sb.count());
            assertEquals(local.itemRatings(id), received.itemRatings(id));
            for (int k = 0; k < sa.gram().length; k++) {
                assertEquals((float) sa.gram()[k], sb.gram()[k], 0.0);
            }
            for (int k = 0; k < sa.target().length; k++) {
                assertEquals((float) sa.target()[k], sb.target()[k], 0.0);
            }
        }
        assertFalse(received.userFactor(999, b));
        assertFalse(received.itemStats(999, sb, b, tmp));
    }

    private static SweepWire.Ratings ratings(int epoch, int partition, String source, int... users) {
        ByteBuffer b = ByteBuffer.allocate(12 * users.length);
        for (int u : users) {
            b.putInt(u).putInt(1).putFloat(4f);
        }
        return new SweepWire.Ratings(epoch, partition, source, users.length, b.flip());
    }
}
