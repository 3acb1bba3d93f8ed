package io.foldin.stream.topology;

import io.foldin.experiment.Experiment;
import io.foldin.experiment.ExperimentBook;
import io.foldin.experiment.Exposure;
import io.foldin.experiment.VariantTotals;
import io.foldin.model.AlsParams;
import io.foldin.stream.event.RatingEvent;
import io.foldin.stream.event.RatingEventCodec;
import io.foldin.stream.event.UserKey;
import io.foldin.stream.kafka.Topics;
import io.foldin.stream.live.ModelEpoch;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exposure–outcome join in the real topology ({@link TopologyTestDriver} through {@link TopologyFixture}):
 * the real processor, its RocksDB stores, the totals topic and the global tables that every instance reads.
 */
class ExperimentOutcomesTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final long HOUR = 3_600_000L;
    private static final String DEF = "{\"name\":\"exp1\",\"traffic\":1,\"variants\":[{\"name\":\"a\",\"weight\":1},"
            + "{\"name\":\"b\",\"weight\":1,\"ranking\":{\"biasWeight\":0}}]}";

    @TempDir
    Path dir;
    TopologyFixture f;
    TestInputTopic<byte[], byte[]> exposures;
    TestInputTopic<byte[], byte[]> experiments;
    TestInputTopic<byte[], byte[]> ratings;
    TestOutputTopic<byte[], byte[]> totalsOut;
    ExperimentBook book;

    @BeforeEach
    void start() {
        AlsParams p = new AlsParams(4, 1, 15, 3);
        f = new TopologyFixture(StreamConfig.defaults("dummy:9092", dir).withParams(p)
                .withSweep(StreamConfig.Sweep.never()), ModelEpoch.initial(3.5, 4), 1);
        ByteArraySerializer ser = new ByteArraySerializer();
        exposures = f.driver.createInputTopic(Topics.EXPOSURES, ser, ser);
        experiments = f.driver.createInputTopic(Topics.EXPERIMENTS, ser, ser);
        ratings = f.ratings;
        totalsOut = f.driver.createOutputTopic(Topics.EXPERIMENT_TOTALS, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        book = f.live.experiments();
        experiments.pipeInput("exp1".getBytes(StandardCharsets.UTF_8), DEF.getBytes(StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private void expose(String variant, int user, long t, int... items) {
        exposures.pipeInput(UserKey.of(user), new Exposure("exp1", variant, user, items, t).encode(), t);
    }

    private void rate(int user, int item, float r, long t) {
        RatingEvent e = new RatingEvent(user, item, r, t / 1000);
        ratings.pipeInput(RatingEventCodec.key(e), RatingEventCodec.encode(e), t);
    }

    private Map<String, VariantTotals> totals() {
        f.driver.advanceWallClockTime(Duration.ofSeconds(1));
        return book.totals(book.get("exp1"));
    }

    @Test
    void definitionsReachEveryInstancesBookAndATombstoneDeletes() {
        Experiment e = book.get("exp1");
        assertNotNull(e);
        assertEquals(0f, e.variant("b").ranking().biasWeight());
        experiments.pipeInput("exp1".getBytes(StandardCharsets.UTF_8), (byte[]) null);
        assertNull(book.get("exp1"));
    }

    @Test
    void ratingsOfShownItemsWithinTheWindowAreOutcomesPerUser() {
        expose("a", 7, T0, 10, 11, 12);
        expose("a", 7, T0 + 1000, 10, 13);    // shown again: one user, two exposures
        expose("b", 8, T0, 20, 21);
        rate(7, 10, 4f, T0 + 60_000);          // outcome
        rate(7, 10, 2f, T0 + 61_000);          // the same showing again: not a second outcome
        rate(7, 11, 5f, T0 + 2 * HOUR);        // outcome: user 7's mean is now 4.5
        rate(7, 99, 1f, T0 + HOUR);            // not shown
        rate(7, 12, 1f, T0 + 25 * HOUR);       // shown, but after the 24 h window
        rate(8, 21, 3f, T0 - 10_000);          // before the exposure (beyond the clock slack)
        rate(9, 20, 3f, T0 + 1000);            // a user never exposed
        Map<String, VariantTotals> t = totals();
        VariantTotals a = t.get("a");
        assertEquals(new VariantTotals(1, 2, 1, 2, 4.5, 4.5 * 4.5), a);
        assertEquals(new VariantTotals(1, 1, 0, 0, 0, 0), t.get("b"));
        rate(8, 20, 2f, T0 + 500);
        assertEquals(new VariantTotals(1, 1, 1, 1, 2, 4), totals().get("b"));
    }

    @Test
    void totalsArePublishedPerPartitionAndSummedByTheBook() {
        for (int u = 0; u < 10; u++) {
            expose(u % 2 == 0 ? "a" : "b", u, T0, 1, 2);
            rate(u, 1, u % 2 == 0 ? 4f : 3f, T0 + 10);
            rate(u, 2, 5f, T0 + 20);
        }
        f.driver.advanceWallClockTime(Duration.ofSeconds(1));
        var records = totalsOut.readKeyValuesToMap();
        assertTrue(records.keySet().stream().map(k -> new String(k, StandardCharsets.UTF_8))
                .allMatch(k -> k.equals("exp1|a|0") || k.equals("exp1|b|0")), records.keySet().toString());
        Map<String, VariantTotals> t = book.totals(book.get("exp1"));
        assertEquals(new VariantTotals(5, 5, 5, 10, 5 * 4.5, 5 * 4.5 * 4.5), t.get("a"));
        assertEquals(4.5, t.get("a").mean(), 1e-12);
        assertEquals(0, t.get("a").variance(), 1e-12);
        assertEquals(4.0, t.get("b").mean(), 1e-12);
    }
}
