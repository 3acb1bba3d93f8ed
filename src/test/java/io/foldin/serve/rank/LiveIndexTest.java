package io.foldin.serve.rank;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.foldin.stream.live.ItemFactorTable;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link LiveIndex} on a real {@link ItemFactorTable}: nothing before the table reaches its size, and rows written
 * while a build runs (a sweep's, say) are in the index that build puts in place.
 */
class LiveIndexTest {
    private static final int D = 20;

    private static int[] rows(TopK top) {
        int[] r = new int[top.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = top.row(i);
        }
        return r;
    }

    @Test
    void rowsWrittenDuringABuildAreInTheNewIndex() throws Exception {
        int n = 60_000;
        float[] x = SyntheticFactors.clustered(n, D, 41);
        ItemFactorTable table = new ItemFactorTable(D);
        LiveIndex live = new LiveIndex(table, n, false);
        float[] row = new float[D + 1];
        for (int r = 0; r < n - 1; r++) {
            System.arraycopy(x, r * (D + 1), row, 0, D + 1);
            table.put(r, 0, 1, row);
        }
        live.rebuild();
        assertNull(live.ready(), "below its size the index does not serve");
        System.arraycopy(x, (n - 1) * (D + 1), row, 0, D + 1);
        table.put(n - 1, 0, 1, row);
        float[][] users = SyntheticFactors.users(20, D, 42);
        // while a build runs, rows move far out along the queries: a build that lost them would rank them wrongly
        Thread build = new Thread(live::rebuild);
        build.start();
        SplittableRandom rnd = new SplittableRandom(43);
        int written = 0;
        while (build.isAlive() || written < 2000) {
            int item = rnd.nextInt(n);
            float[] u = users[written % users.length];
            for (int a = 0; a < D; a++) {
                row[a] = (float) (u[a] * (1 + 4 * rnd.nextDouble()));
            }
            row[D] = 0;
            table.put(item, 0, 1, row);
            written++;
        }
        build.join();
        PartitionIndex idx = live.ready();
        assertNotNull(idx);
        ItemColumns cols = new ItemColumns(D);
        table.addListener(cols::set);
        ItemFactorTable.Snapshot s = table.snapshot();
        for (float[] u : users) {
            TopK want = new TopK(30);
            new ScalarItemScan().scan(cols.view(), s.size(), u, 0.1f, false, s.counts(), 0, -1, want);
            want.sortDescending();
            TopK got = new TopK(30);
            idx.search(u, 0.1f, s.counts(), s.size(), 0, -1, got, Integer.MAX_VALUE, new PartitionIndex.Search());
            got.sortDescending();
            assertArrayEquals(rows(want), rows(got));
        }
    }
}
