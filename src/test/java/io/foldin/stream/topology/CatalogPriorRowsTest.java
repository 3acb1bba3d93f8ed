package io.foldin.stream.topology;

import io.foldin.model.AlsParams;
import io.foldin.serve.rank.ItemColumns;
import io.foldin.stream.live.ItemFactorTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Catalogue items without ratings are in the item table at their genre prior mean (bias 0, count 0),
 * follow the genre features of each new epoch, give way to the first published factor, and never make
 * the item side skip an update.
 */
class CatalogPriorRowsTest {
    private static final int D = AlsParams.DEFAULT.factors();

    @TempDir
    Path dir;

    @Test
    void everyCatalogueItemHasARowAndPriorRowsNeverSupersedeUpdates() throws Exception {
        try (TopologyFixture t = new TopologyFixture(dir, AlsParams.DEFAULT, 3.5, 0.0)) {
            ItemColumns columns = new ItemColumns(D);
            t.live.items().addListener(columns::set);
            item(t, 10, "Rated drama", "\"Drama\"");
            item(t, 20, "Rated comedy drama", "\"Comedy\",\"Drama\"");
            item(t, 30, "No genres", "");
            item(t, 40, "Cold drama", "\"Drama\"");
            item(t, 50, "Cold comedy", "\"Comedy\"");
            ItemFactorTable table = t.live.items();
            assertEquals(5, table.size());
            assertEquals(5, table.priorRows());
            // epoch 0 has no genre features: the prior mean is zero
            assertArrayEquals(new float[D + 1], row(t, 40));
            assertEquals(-1, table.epoch(40), "a prior row reads as an unknown item");
            assertEquals(0, table.count(40));
            assertEquals(5, columns.view().size(), "serving's column copy sees prior rows too");

            for (int u = 1; u <= 6; u++) {
                t.rate(u, 10, 4f + (u % 2) * 0.5f);
                t.rate(u, 20, 2f + (u % 3) * 0.5f);
            }
            assertEquals(3, table.priorRows(), "items 10 and 20 have factors now");
            assertEquals(0, table.epoch(10));
            assertEquals(6, table.count(10));

            assertEquals(1, t.sweep(3).epoch());
            assertFalse(t.live.epoch().features().isEmpty(), "the sweep fitted genre features");
            float[] mean = new float[D];
            for (int item : new int[] {40, 50}) {
                float[] want = new float[D + 1];
                assertTrue(t.live.epoch().priorMean(t.live.catalog().get(item).genres(), mean));
                System.arraycopy(mean, 0, want, 0, D);
                assertArrayEquals(want, row(t, item), "item " + item + ": the new epoch's prior mean, bias 0");
                assertEquals(-1, table.epoch(item));
            }
            assertArrayEquals(new float[D + 1], row(t, 30), "no genres: zeros");
            assertEquals(3, table.priorRows());
            assertEquals(1, table.epoch(10), "swept");

            // An update the user side sent in epoch 0 that reaches the item side after this task installed the
            // sweep: the user side stores a rating and sends its update in one step, and the sweep stops the user
            // side, so the sweep counted that rating even though item 40's row is untouched (or, after a crash
            // under at-least-once, the replayed event sends it again). Skipped.
            t.itemUpdate(40, 7, 4.5f, 0);
            assertNull(t.itemState(40));
            assertEquals(1, t.live.metrics().total("foldin_item_updates_superseded_total"));
            // The same rating folded in after the sweep arrives in its epoch: item 40's first rating.
            t.itemUpdate(40, 7, 4.5f, 1);
            assertEquals(1, t.itemState(40).count());
            t.publish();
            assertEquals(1, table.count(40));
            assertEquals(0, table.epoch(40), "published factors replace the prior row");
            assertEquals(2, table.priorRows());

            // New metadata for an item with factors changes its catalogue entry, not its factors.
            float[] before = row(t, 10);
            item(t, 10, "Retitled", "\"Comedy\"");
            assertArrayEquals(before, row(t, 10));
            assertEquals("Retitled", t.live.catalog().get(10).title());
            // New metadata for a cold item gives it the prior mean of its new genres.
            item(t, 30, "Now a comedy", "\"Comedy\"");
            assertArrayEquals(row(t, 50), row(t, 30));
            assertEquals(5, table.size());
        }
    }

    @Test
    void theTableKeepsPublishedFactorsOverPriorRows() {
        ItemFactorTable table = new ItemFactorTable(2);
        float[] prior = {0.5f, 0.5f, 0f};
        assertTrue(table.putPrior(7, prior));
        assertEquals(1, table.priorRows());
        float[] fitted = {1f, 2f, 0.25f};
        table.put(7, 0, 3, fitted);
        assertEquals(0, table.priorRows());
        assertFalse(table.putPrior(7, prior), "a prior never replaces factors");
        float[] got = new float[3];
        table.get(7, got, 0);
        assertArrayEquals(fitted, got);
        assertEquals(0, table.epoch(7));
        assertEquals(3, table.count(7));
        assertEquals(1, table.size());
    }

    private static float[] row(TopologyFixture t, int item) {
        float[] f = new float[D + 1];
        assertTrue(t.live.items().get(item, f, 0), "item " + item + " has a row");
        return f;
    }

    private static void item(TopologyFixture t, int id, String title, String genres) {
        t.items.pipeInput(Integer.toString(id).getBytes(StandardCharsets.US_ASCII),
                ("{\"itemId\":" + id + ",\"title\":\"" + title + "\",\"genres\":[" + genres + "]}")
                        .getBytes(StandardCharsets.UTF_8));
    }


}
