package io.foldin.stream.topology;

import io.foldin.model.AlsParams;
import io.foldin.stream.live.ModelEpoch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Item updates sent before a sweep are skipped exactly when the item's statistics already count them:
 * after that sweep's install, but not after a restart in a later epoch whose install for this item
 * never committed (crash between the sweep's commit and the item task's).
 */
class SweepEpochTest {
    private static final int D = AlsParams.DEFAULT.factors();

    @TempDir
    Path dir;

    @Test
    void anUpdateFromBeforeAnInstalledSweepIsSkipped() throws Exception {
        try (TopologyFixture t = new TopologyFixture(dir, AlsParams.DEFAULT, 3.5, 0.0)) {
            t.rate(1, 10, 4f);
            t.rate(2, 10, 2f);
            assertEquals(1, t.sweep(2).epoch());
            assertEquals(2, t.itemState(10).count());
            // an update the user side sent in epoch 0, reaching the item side only now: the sweep counted it
            t.itemUpdate(10, 2, 2f, 0);
            assertEquals(2, t.itemState(10).count());
            assertEquals(1, t.live.metrics().total("foldin_item_updates_superseded_total"));
            t.rate(3, 10, 5f);
            assertEquals(3, t.itemState(10).count(), "updates of the current epoch are folded in");
        }
    }

    /** An item whose only rating is still in flight at the sweep gets its statistics from the sweep. */
    @Test
    void anItemTheItemSideHasNotSeenYetIsInstalledFromTheSweep() throws Exception {
        try (TopologyFixture t = new TopologyFixture(dir, AlsParams.DEFAULT, 3.5, 0.0)) {
            t.rate(1, 10, 4f);
            t.rate(2, 20, 2f);
            // as if item 20's update had not reached the item side yet
            ((StatsStore) t.driver.getAllStateStores().get(Stores.ITEM_STATS)).delete(20);
            assertEquals(1, t.sweep(2).epoch());
            assertEquals(1, t.itemState(20).count(), "installed from the sweep");
            t.itemUpdate(20, 2, 2f, 0);
            assertEquals(1, t.itemState(20).count(), "and its late update skipped, as counted");
        }
    }

    @Test
    void afterARestartAnUpdateOfTheItemsOwnEpochIsCounted() {
        ModelEpoch restored = new ModelEpoch(1, 3.5, D, Map.of(), ModelEpoch.SweepInfo.NONE);
        try (TopologyFixture t = new TopologyFixture(dir, AlsParams.DEFAULT, restored, 0.0)) {
            // the item table as restored: item 10's last committed factor is from epoch 0
            t.live.items().put(10, 0, 1, new float[D + 1]);
            t.itemUpdate(10, 2, 2f, 0);
            assertEquals(1, t.itemState(10).count(), "its statistics are of epoch 0 and do not hold it yet");
            assertEquals(0, t.live.metrics().total("foldin_item_updates_superseded_total"));
            t.rate(3, 10, 5f);
            assertEquals(2, t.itemState(10).count());
            t.driver.advanceWallClockTime(Duration.ofMillis(500));
            assertEquals(0, t.live.items().epoch(10), "published as of the sweep its statistics are from");
        }
    }


}
