package io.foldin.stream.topology;

import io.foldin.data.RatingLog;
import io.foldin.data.RatingsReader;
import io.foldin.model.AlsParams;
import io.foldin.model.FactorModel;
import io.foldin.model.Factors;
import io.foldin.model.FoldIn;
import io.foldin.model.ItemStart;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FoldinTopologyTest {
    static final Path RATINGS = Path.of("src/main/resources/ml-latest-small/ratings.csv");
    static RatingLog log;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws Exception {
        log = RatingsReader.read(RATINGS, io.foldin.data.ReadOptions.defaults()).log();
    }

    /** The topology's two fold-ins, run synchronously, are the in-memory engine's {@link FoldIn#apply}. */
    @Test
    void foldInMatchesTheInMemoryEngine() {
        AlsParams params = AlsParams.DEFAULT;
        double mu = 3.5;
        int[] order = log.timeOrder();
        int n = 3000;
        Factors items = new Factors(log.items().size(), params.factors());
        // Before the first sweep an item is folded in against its seeded start until it has factors.
        for (int i = 0; i < log.items().size(); i++) {
            ItemStart.of(log.items().idOf(i), params.factors(), items.data(), items.offset(i));
        }
        FactorModel model = new FactorModel(params, mu, 0.5f, 5f, new Factors(log.users().size(), params.factors()),
                items, null);
        FoldIn engine = new FoldIn(model);
        Map<Long, Float> seen = new HashMap<>();
        try (TopologyFixture t = new TopologyFixture(dir, params, mu, 0.0)) {
            for (int k = 0; k < n; k++) {
                int row = order[k];
                int u = log.user(row);
                int i = log.item(row);
                float r = log.rating(row);
                // every 100th event re-rates an earlier pair instead
                if (k % 100 == 99) {
                    int prev = order[k - 50];
                    u = log.user(prev);
                    i = log.item(prev);
                    r = 6f - log.rating(prev) > 5f ? 5f : 6f - log.rating(prev);
                }
                Float old = seen.put(((long) u << 32) | i, r);
                engine.apply(u, i, r, old == null ? Float.NaN : old);
                t.rate(log.users().idOf(u), log.items().idOf(i), r);
            }
            float[] buf = new float[params.dim()];
            for (int k = 0; k < n; k += 37) {
                int u = log.user(order[k]);
                int i = log.item(order[k]);
                EntityState us = t.userState(log.users().idOf(u));
                assertNotNull(us);
                for (int a = 0; a < params.dim(); a++) {
                    assertEquals(model.users().data()[model.users().offset(u) + a], us.factor()[a], 1e-4, "user " + a);
                }
                assertEquals(true, t.live.items().get(log.items().idOf(i), buf, 0));
                for (int a = 0; a < params.dim(); a++) {
                    assertEquals(model.items().data()[model.items().offset(i) + a], buf[a], 1e-4, "item " + a);
                }
            }
            assertEquals(0, t.dlq.getQueueSize());
        }
    }

    /**
     * Issue #16: from an empty start (epoch 0, no item factors) fold-in gives users and items non-zero
     * vectors after a few events, instead of ranking by bias alone until the first sweep.
     */
    @Test
    void fromAnEmptyStartUserAndItemVectorsLeaveZero() {
        int d = AlsParams.DEFAULT.factors();
        try (TopologyFixture t = new TopologyFixture(dir, AlsParams.DEFAULT, 3.5, 0.0)) {
            t.rate(1, 10, 5f);
            t.rate(1, 20, 1f);
            t.rate(2, 10, 4f);
            t.rate(2, 30, 2f);
            t.rate(3, 20, 4.5f);
            for (int user : new int[] {1, 2, 3}) {
                assertTrue(norm(t.userState(user).factor(), d) > 1e-4, "user " + user);
            }
            float[] row = new float[d + 1];
            for (int item : new int[] {10, 20, 30}) {
                assertTrue(t.live.items().get(item, row, 0), "item " + item + " published");
                assertTrue(t.live.items().epoch(item) >= 0);
                assertTrue(norm(row, d) > 1e-6, "item " + item + ": " + java.util.Arrays.toString(row));
                assertTrue(norm(t.itemState(item).factor(), d) > 1e-6);
            }
        }
    }

    static double norm(float[] f, int d) {
        double s = 0;
        for (int a = 0; a < d; a++) {
            s += f[a] * f[a];
        }
        return Math.sqrt(s);
    }

    @Test
    void deleteRemovesTheRatingAndItsContribution() {
        try (TopologyFixture t = new TopologyFixture(dir, AlsParams.DEFAULT, 3.5, 0.0)) {
            t.rate(1, 10, 4f);
            t.rate(1, 20, 2f);
            t.delete(1, 20);
            EntityState s = t.userState(1);
            assertEquals(1, s.count());
            assertEquals(0, t.itemState(20).count());
            t.delete(1, 99);
            assertEquals(1, t.live.metrics().total("foldin_deletes_of_unknown_ratings_total"));
            assertNull(t.userState(2));
        }
    }

    /**
     * A burst of one user's ratings within one publish interval is solved at its first event and at the
     * publication only; the published factor is the one per-event solves reach.
     */
    @Test
    void aBurstWithinOnePublishIntervalEndsAtThePerEventFactor() {
        float[] perEvent;
        try (TopologyFixture t = new TopologyFixture(dir.resolve("each"), AlsParams.DEFAULT, 3.5, 0.0)) {
            t.rate(1, 10, 4f);
            t.rate(1, 20, 2f);
            t.rate(1, 30, 5f);
            perEvent = t.userState(1).factor().clone();
        }
        try (TopologyFixture t = new TopologyFixture(dir.resolve("burst"), AlsParams.DEFAULT, 3.5, 0.0)) {
            t.pipe(1, 10, 4f);
            float[] afterFirst = t.userState(1).factor().clone();
            t.pipe(1, 20, 2f);
            t.pipe(1, 30, 5f);
            assertArrayEquals(afterFirst, t.userState(1).factor(), 0f, "later events of the interval wait");
            t.publish();
            assertArrayEquals(perEvent, t.userState(1).factor(), 1e-6f, "solved at the publication");
            var published = t.userFactors.readKeyValuesToList();
            assertEquals(1, published.size(), "one record per user per interval");
            assertArrayEquals(perEvent, FactorRecord.decode(published.get(0).value).factor(), 1e-6f);
            assertEquals(3, t.userState(1).count());
        }
    }
}
