package io.foldin.stream.topology;

import io.foldin.metrics.Metrics;
import io.foldin.model.AlsParams;
import io.foldin.model.ImplicitParams;
import io.foldin.model.ImplicitStatsTest;
import io.foldin.model.PackedGram;
import io.foldin.stream.event.DeadLetter;
import io.foldin.stream.event.RatingEvent;
import io.foldin.stream.event.RatingEventCodec;
import io.foldin.stream.event.Reason;
import io.foldin.stream.event.UserKey;
import io.foldin.stream.kafka.Topics;
import io.foldin.stream.live.ImplicitTable;
import io.foldin.stream.live.LiveModel;
import io.foldin.stream.live.ModelEpoch;
import io.foldin.stream.sweep.ImplicitSweep;
import io.foldin.stream.sweep.SweepCoordinator;
import io.foldin.stream.sweep.Sweeper;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The live implicit model in the real topology (TopologyTestDriver): event by event, each published user vector is
 * the closed-form row solve of the user's whole list against the item table it was solved with, each published item
 * vector the solve of its statistics folded from the published user vectors; threshold semantics of ratings,
 * dead letters, re-keying of misplaced interactions and the rank records of the prequential.
 */
class ImplicitTopologyTest {
    static final int D = 4;
    static final ImplicitParams PARAMS = new ImplicitParams(D, 10, 0.5);
    static final StreamConfig.Implicit IMPLICIT = new StreamConfig.Implicit(true, PARAMS, 4.0, 3);

    @TempDir
    Path dir;
    LiveModel live;
    TopologyTestDriver driver;
    TestInputTopic<byte[], byte[]> interactions;
    TestInputTopic<byte[], byte[]> ratings;
    TestOutputTopic<byte[], byte[]> userFactors;
    TestOutputTopic<byte[], byte[]> itemFactors;
    TestOutputTopic<byte[], byte[]> predictions;
    TestOutputTopic<byte[], byte[]> dlq;
    TestOutputTopic<byte[], byte[]> rekeyed;
    StreamConfig config;
    SweepCoordinator sweeps;

    void start(boolean predictionsOn, int partitions) {
        config = StreamConfig.defaults("dummy:9092", dir).withParams(AlsParams.DEFAULT)
                .withSweep(new StreamConfig.Sweep(0, 0, 5, 0.0, 1)).withEmitPredictions(predictionsOn)
                .withImplicit(IMPLICIT);
        live = new LiveModel(AlsParams.DEFAULT.factors(), D, ModelEpoch.initial(3.5, AlsParams.DEFAULT.factors()),
                new Metrics());
        sweeps = new SweepCoordinator(live, new Sweeper(AlsParams.DEFAULT, 1, 42), 0, 0, 5, true, 0,
                partitions, 0);
        sweeps.attachImplicit(new ImplicitSweep(IMPLICIT, live, 1));
        java.util.Properties p = new java.util.Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "ttd");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
        driver = new TopologyTestDriver(FoldinTopology.build(new FoldinTopology.Context(config, live, sweeps)), p);
        ByteArraySerializer ser = new ByteArraySerializer();
        ByteArrayDeserializer de = new ByteArrayDeserializer();
        interactions = driver.createInputTopic(Topics.INTERACTIONS, ser, ser);
        ratings = driver.createInputTopic(Topics.RATINGS, ser, ser);
        userFactors = driver.createOutputTopic(Topics.IMPLICIT_USER_FACTORS, de, de);
        itemFactors = driver.createOutputTopic(Topics.IMPLICIT_ITEM_FACTORS, de, de);
        predictions = driver.createOutputTopic(Topics.IMPLICIT_PREDICTIONS, de, de);
        dlq = driver.createOutputTopic(Topics.RATINGS_DLQ, de, de);
        rekeyed = driver.createOutputTopic(Topics.INTERACTIONS_REKEYED, de, de);
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    /** A model as a sweep leaves it: rows for users 100..103 and items 1..6, fixed seed. */
    void seedTables() {
        Random rnd = new Random(11);
        for (int u = 100; u < 104; u++) {
            live.implicitUsers().put(u, gaussian(rnd));
        }
        for (int i = 1; i <= 6; i++) {
            live.implicitItems().put(i, gaussian(rnd));
        }
    }

    static float[] gaussian(Random rnd) {
        float[] v = new float[D];
        for (int a = 0; a < D; a++) {
            v[a] = (float) (0.5 * rnd.nextGaussian());
        }
        return v;
    }

    void interact(int user, int item, float weight) {
        interact(UserKey.of(user), user, item, weight);
    }

    void interact(byte[] key, int user, int item, float weight) {
        String json = "{\"userId\":" + user + ",\"itemId\":" + item + ",\"weight\":" + weight
                + ",\"kind\":\"click\",\"timestamp\":1000}";
        interactions.pipeInput(key, json.getBytes(StandardCharsets.UTF_8));
    }

    void rate(int user, int item, float rating) {
        RatingEvent e = new RatingEvent(user, item, rating, 1000L);
        ratings.pipeInput(RatingEventCodec.key(e), RatingEventCodec.encode(e));
    }

    void publish() {
        driver.advanceWallClockTime(Duration.ofMillis(config.publishIntervalMs()));
        driver.advanceWallClockTime(Duration.ofMillis(config.publishIntervalMs()));
    }

    static Map<Integer, float[]> rows(ImplicitTable t) {
        Map<Integer, float[]> out = new TreeMap<>();
        t.forEach((id, data, off) -> out.put(id, java.util.Arrays.copyOfRange(data, off, off + D)));
        return out;
    }

    static double[][] gram(Map<Integer, float[]> rows) {
        double[][] g = new double[D][D];
        for (float[] v : rows.values()) {
            for (int r = 0; r < D; r++) {
                for (int c = 0; c < D; c++) {
                    g[r][c] += (double) v[r] * v[c];
                }
            }
        }
        return g;
    }

    /** The last record per key of a factor topic since the last read, as D floats. */
    static Map<Integer, float[]> latest(TestOutputTopic<byte[], byte[]> topic) {
        Map<Integer, float[]> out = new HashMap<>();
        for (TestRecord<byte[], byte[]> r : topic.readRecordsToList()) {
            FactorRecord f = FactorRecord.decode(r.value());
            assertEquals(D + 1, f.factor().length);
            assertEquals(0f, f.factor()[D], "bias slot is 0");
            out.put(ByteBuffer.wrap(r.key()).getInt(), java.util.Arrays.copyOf(f.factor(), D));
        }
        return out;
    }

    static void assertClose(double[] expected, float[] actual, String what) {
        for (int a = 0; a < D; a++) {
            assertEquals(expected[a], actual[a], 1e-4 * (1 + Math.abs(expected[a])), what + " entry " + a);
        }
    }

    @Test
    void eachPublishedVectorIsTheClosedFormAgainstTheTablesItWasSolvedWith() {
        start(false, 1);
        seedTables();
        // (user, item, weight); weight < 0 means a rating of -weight (threshold 4)
        float[][] events = {{100, 1, 1}, {100, 2, 3}, {101, 1, 2}, {100, 1, 0.5f}, {102, 3, -5}, {102, 3, 1},
                {102, 3, -3}, {103, 2, -4.5f}, {101, 4, 1}, {103, 5, 2}, {100, 6, 1}, {102, 3, -4}};
        Map<Integer, Map<Integer, Double>> weights = new HashMap<>(); // user → item → weight
        Map<Integer, Double> interactionsOf = new HashMap<>();
        Map<Integer, Boolean> ratedOf = new HashMap<>();
        Map<Integer, ExpectedItem> items = new HashMap<>();
        for (float[] ev : events) {
            int u = (int) ev[0];
            int i = (int) ev[1];
            int pair = u * 1000 + i;
            Map<Integer, float[]> y0 = rows(live.implicitItems());
            double before = weights.computeIfAbsent(u, k -> new TreeMap<>()).getOrDefault(i, 0.0);
            if (ev[2] > 0) {
                interact(u, i, ev[2]);
                interactionsOf.merge(pair, (double) ev[2], Double::sum);
            } else {
                rate(u, i, -ev[2]);
                ratedOf.put(pair, -ev[2] >= 4.0);
            }
            double after = interactionsOf.getOrDefault(pair, 0.0) + (ratedOf.getOrDefault(pair, false) ? 1 : 0);
            weights.get(u).put(i, after);
            publish();

            Map<Integer, float[]> users = latest(userFactors);
            if (before == after) {
                assertTrue(users.isEmpty(), "a rating that does not cross the threshold changes nothing");
                continue;
            }
            // user side: the whole list against the item rows before this publication
            List<float[]> ys = new ArrayList<>();
            List<Double> ws = new ArrayList<>();
            for (Map.Entry<Integer, Double> e : weights.get(u).entrySet()) {
                ys.add(y0.getOrDefault(e.getKey(), new float[D]));
                ws.add(e.getValue());
            }
            double[] x = ImplicitStatsTest.closedForm(gram(y0), ys.toArray(new float[0][]),
                    ws.stream().mapToDouble(Double::doubleValue).toArray(), PARAMS);
            assertClose(x, users.get(u), "x_" + u + " after event " + java.util.Arrays.toString(ev));

            // item side: S_i and h_i folded with each published x_u, solved against XᵀX of the user table
            items.computeIfAbsent(i, k -> new ExpectedItem()).change(users.get(u), before, after);
            Map<Integer, float[]> published = latest(itemFactors);
            double[] y = items.get(i).solve(gram(rows(live.implicitUsers())));
            assertClose(y, published.get(i), "y_" + i + " after event " + java.util.Arrays.toString(ev));
            assertClose(y, rowOf(live.implicitItems(), i), "the item table mirrors y_" + i);
        }
        assertEquals(2.0f, pairWeight(102, 3), 0, "rated 5 (1), interaction 1, rated 3 (0), then 4 (1): 1 + 1");
    }

    static float[] rowOf(ImplicitTable t, int id) {
        float[] out = new float[D];
        assertTrue(t.get(id, out));
        return out;
    }

    /** The item's statistics as the test folds them: α (w₁ − w₀) x xᵀ and (α (w₁ − w₀) + [w₁>0] − [w₀>0]) x. */
    static final class ExpectedItem {
        final double[][] s = new double[D][D];
        final double[] h = new double[D];

        void change(float[] x, double w0, double w1) {
            double daw = PARAMS.alpha() * (w1 - w0);
            double enter = (w1 > 0 ? 1 : 0) - (w0 > 0 ? 1 : 0);
            for (int r = 0; r < D; r++) {
                for (int c = 0; c < D; c++) {
                    s[r][c] += daw * x[r] * x[c];
                }
                h[r] += (daw + enter) * x[r];
            }
        }

        double[] solve(double[][] xtx) {
            double[][] a = new double[D][D + 1];
            for (int r = 0; r < D; r++) {
                for (int c = 0; c < D; c++) {
                    a[r][c] = xtx[r][c] + s[r][c] + (r == c ? PARAMS.lambda() : 0);
                }
                a[r][D] = h[r];
            }
            return ImplicitStatsTest.gauss(a);
        }
    }

    float pairWeight(int user, int item) {
        KeyValueStore<Bytes, byte[]> store = driver.getKeyValueStore(Stores.IMPLICIT_USER_ITEMS);
        return ImplicitPairs.weight(store.get(Bytes.wrap(RatingKey.of(user, item))));
    }

    @Test
    void ratingsCountOneWhileAtOrAboveTheThreshold() {
        start(false, 1);
        rate(7, 1, 3.5f);
        assertEquals(0f, pairWeight(7, 1), "below the threshold: no interaction");
        rate(7, 2, 4.5f);
        rate(7, 2, 1f);
        KeyValueStore<Bytes, byte[]> store = driver.getKeyValueStore(Stores.IMPLICIT_USER_ITEMS);
        assertEquals(null, store.get(Bytes.wrap(RatingKey.of(7, 2))), "a pair back at weight 0 leaves the store");
        rate(7, 1, 4.0f);
        assertEquals(1f, pairWeight(7, 1), "at the threshold: weight 1");
        interact(7, 1, 2.5f);
        assertEquals(3.5f, pairWeight(7, 1), "interactions add to the rating's 1");
        rate(7, 1, 5f);
        assertEquals(3.5f, pairWeight(7, 1), "a re-rating above keeps the 1, not adds another");
        rate(7, 1, 2f);
        assertEquals(2.5f, pairWeight(7, 1), "a re-rating below takes the 1 away");
        rate(7, 1, 4.5f);
        RatingEvent del = RatingEvent.delete(7, 1, 1000L);
        ratings.pipeInput(RatingEventCodec.key(del), RatingEventCodec.encode(del));
        assertEquals(2.5f, pairWeight(7, 1), "a delete takes the 1 away, the interactions stay");
        publish();
        FactorRecord f = FactorRecord.decode(userFactors.readRecordsToList().get(0).value());
        assertEquals(1, f.count(), "one interacted item");
    }

    @Test
    void malformedInteractionsGoToTheDeadLetterQueueWithTheirReason() {
        start(false, 1);
        interactions.pipeInput(UserKey.of(5), "{\"userId\":5,\"itemId\":1,\"weight\":0}".getBytes(StandardCharsets.UTF_8));
        interactions.pipeInput(UserKey.of(5), "{\"userId\":5,\"itemId\":1,\"kind\":\"Click!\"}".getBytes(StandardCharsets.UTF_8));
        interactions.pipeInput(UserKey.of(5), "{\"userId\":5,".getBytes(StandardCharsets.UTF_8));
        List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
        assertEquals(3, dead.size());
        assertEquals(Reason.WEIGHT_OUT_OF_RANGE.code(), DeadLetter.header(dead.get(0).headers(), DeadLetter.REASON));
        assertEquals(Reason.KIND_INVALID.code(), DeadLetter.header(dead.get(1).headers(), DeadLetter.REASON));
        assertEquals(Reason.UNPARSABLE_JSON.code(), DeadLetter.header(dead.get(2).headers(), DeadLetter.REASON));
        assertTrue(DeadLetter.header(dead.get(0).headers(), DeadLetter.SOURCE).startsWith(Topics.INTERACTIONS),
                DeadLetter.header(dead.get(0).headers(), DeadLetter.SOURCE));
        assertEquals(0f, pairWeight(5, 1));
    }

    @Test
    void misplacedInteractionsReachTheirOwnerOnceThroughTheRekeyedTopic() {
        int partitions = 4;
        start(false, partitions);
        int misplacedUser = 1;
        while (UserKey.partition(misplacedUser, partitions) == 0) {
            misplacedUser++;
        }
        int ownedUser = 1;
        while (UserKey.partition(ownedUser, partitions) != 0) {
            ownedUser++;
        }
        // items of item partition 0: the driver's implicit-item-updates has only that one
        int[] items = new int[2];
        for (int i = 1, n = 0; n < 2; i++) {
            if (ItemUpdateBundle.partitionOf(i, partitions) == 0) {
                items[n++] = i;
            }
        }
        interact(null, misplacedUser, items[0], 2f);                        // no key: the producer spread them
        interact("x".getBytes(StandardCharsets.UTF_8), misplacedUser, items[1], 1f); // a key that is not the userId
        interact(ownedUser, items[0], 1f);
        List<TestRecord<byte[], byte[]>> hops = rekeyed.readRecordsToList();
        assertEquals(2, hops.size(), "the owned user's event takes no hop");
        for (TestRecord<byte[], byte[]> r : hops) {
            assertEquals(misplacedUser, UserKey.parse(r.key()), "re-keyed with the canonical key");
        }
        // The driver feeds ratings-rekeyed's twin back into the one task: folded in once, not twice.
        assertEquals(2f, pairWeight(misplacedUser, items[0]));
        assertEquals(1f, pairWeight(misplacedUser, items[1]));
        assertEquals(1f, pairWeight(ownedUser, items[0]));
    }

    @Test
    void withPredictionsEachNewPairIsRankedBeforeItIsFoldedIn() {
        start(true, 1);
        seedTables();
        interact(100, 1, 2f);
        // the table as the second event sees it (the driver commits after each record, and the commits publish)
        Map<Integer, float[]> y = rows(live.implicitItems());
        interact(100, 3, 1f);
        interact(100, 1, 1f); // a repeat: folded in, not ranked
        List<TestRecord<byte[], byte[]>> out = predictions.readRecordsToList();
        assertEquals(2, out.size());
        // first: no pairs yet, x = 0, every score 0 ties against the item: ranked behind the 5 other rows
        assertRank(out.get(0), 100, 1, 6);
        // second: x from {(1, 2)} against the table
        double[] x = ImplicitStatsTest.closedForm(gram(y), new float[][]{y.get(1)}, new double[]{2}, PARAMS);
        double target = dot(x, y.get(3));
        int rank = 1;
        for (Map.Entry<Integer, float[]> e : y.entrySet()) {
            if (e.getKey() != 3 && e.getKey() != 1 && dot(x, e.getValue()) >= target) {
                rank++;
            }
        }
        assertRank(out.get(1), 100, 3, rank);
    }

    static double dot(double[] x, float[] y) {
        double s = 0;
        for (int a = 0; a < D; a++) {
            s += x[a] * y[a];
        }
        return s;
    }

    static void assertRank(TestRecord<byte[], byte[]> r, int user, int item, int rank) {
        assertEquals(user, ByteBuffer.wrap(r.key()).getInt());
        ByteBuffer v = ByteBuffer.wrap(r.value());
        assertEquals(8, r.value().length);
        assertEquals(item, v.getInt());
        assertEquals(rank, v.getInt());
    }

    /**
     * The implicit sweep runs with the explicit one: afterwards every item's published vector is the exact solve
     * against the published user vectors, and the next interaction's fold-in on an item equals the closed form over
     * all of the item's weights, which holds only if the install rebuilt the item's S and h from the sweep.
     */
    @Test
    void aSweepInstallsTheImplicitModelAndRebuildsTheItemStatistics() throws Exception {
        start(false, 1);
        Random rnd = new Random(3);
        Map<Integer, Map<Integer, Double>> byItem = new TreeMap<>(); // item → user → weight
        for (int k = 0; k < 120; k++) {
            int u = 10 + rnd.nextInt(12);
            int i = 1 + rnd.nextInt(15);
            float w = 1 + rnd.nextInt(3);
            interact(u, i, w);
            byItem.computeIfAbsent(i, z -> new TreeMap<>()).merge(u, (double) w, Double::sum);
        }
        publish();
        userFactors.readRecordsToList();
        itemFactors.readRecordsToList();
        var done = sweeps.requestSweep(5, false);
        driver.advanceWallClockTime(Duration.ofMillis(500));
        publish();
        assertEquals(1, done.get(30, java.util.concurrent.TimeUnit.SECONDS).epoch());

        Map<Integer, float[]> users = latest(userFactors);
        Map<Integer, float[]> items = latest(itemFactors);
        assertEquals(12, users.size(), "every user published by the install");
        assertEquals(byItem.size(), items.size(), "every item published by the install");
        double norm = 0;
        for (float[] v : items.values()) {
            for (float a : v) {
                norm += a * a;
            }
        }
        assertTrue(norm > 1e-3, "a fitted model, not the zero one every fold-in gives before the first sweep");
        double[][] xtx = gram(users);
        for (Map.Entry<Integer, Map<Integer, Double>> e : byItem.entrySet()) {
            float[][] xs = e.getValue().keySet().stream().map(users::get).toArray(float[][]::new);
            double[] ws = e.getValue().values().stream().mapToDouble(Double::doubleValue).toArray();
            assertClose(ImplicitStatsTest.closedForm(xtx, xs, ws, PARAMS), items.get(e.getKey()),
                    "y_" + e.getKey() + " after the sweep");
        }

        // a new user's interaction on item 1: its S/h must hold every earlier pair with the swept user vectors
        interact(99, 1, 2f);
        publish();
        Map<Integer, float[]> after = latest(userFactors);
        byItem.get(1).put(99, 2.0);
        users.put(99, after.get(99));
        float[][] xs = byItem.get(1).keySet().stream().map(users::get).toArray(float[][]::new);
        double[] ws = byItem.get(1).values().stream().mapToDouble(Double::doubleValue).toArray();
        assertClose(ImplicitStatsTest.closedForm(gram(rows(live.implicitUsers())), xs, ws, PARAMS),
                latest(itemFactors).get(1), "y_1 folded in after the install");
    }
}
