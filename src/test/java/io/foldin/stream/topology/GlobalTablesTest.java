package io.foldin.stream.topology;

import io.foldin.model.AlsParams;
import io.foldin.stream.kafka.Topics;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.IntegerSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class GlobalTablesTest {
    @TempDir
    Path dir;

    /** A sweep puts its factors into the table ahead of the topic; an older record read later must not undo that. */
    @Test
    void aRecordFromBeforeTheSweepDoesNotOverwriteTheSweptFactor() throws Exception {
        try (TopologyFixture t = new TopologyFixture(dir, AlsParams.DEFAULT, 3.5, 0.0)) {
            t.rate(1, 10, 4f);
            t.rate(2, 10, 2f);
            t.rate(2, 20, 5f);
            assertEquals(1, t.sweep(2).epoch());
            int d = AlsParams.DEFAULT.factors();
            float[] swept = new float[d + 1];
            t.live.items().get(10, swept, 0);
            assertEquals(1, t.live.items().epoch(10));

            TestInputTopic<Integer, byte[]> factors = t.driver.createInputTopic(Topics.ITEM_FACTORS,
                    new IntegerSerializer(), new ByteArraySerializer());
            factors.pipeInput(10, new FactorRecord(0, 1, new float[d + 1]).encode());
            float[] row = new float[d + 1];
            t.live.items().get(10, row, 0);
            assertArrayEquals(swept, row, "stale record ignored");

            float[] next = new float[d + 1];
            next[0] = 0.5f;
            factors.pipeInput(10, new FactorRecord(1, 3, next).encode());
            t.live.items().get(10, row, 0);
            assertArrayEquals(next, row, "a record of the current epoch applies");
        }
    }
}
