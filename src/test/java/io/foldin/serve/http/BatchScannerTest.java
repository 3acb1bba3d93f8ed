package io.foldin.serve.http;

import io.foldin.metrics.Metric;
import io.foldin.metrics.Metrics;
import io.foldin.serve.rank.ItemColumns;
import io.foldin.serve.rank.ItemScan;
import io.foldin.serve.rank.LiveIndex;
import io.foldin.serve.rank.TopK;
import io.foldin.stream.live.ItemFactorTable;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scan threads: batched answers equal single scans, batches form under load, the index answers ranking scans
 * as the exact scan does, close fails what is left.
 */
class BatchScannerTest {
    static final int D = 20;

    static ItemFactorTable table(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        ItemFactorTable t = new ItemFactorTable(D);
        float[] f = new float[D + 1];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a <= D; a++) {
                f[a] = (float) rnd.nextGaussian();
            }
            t.put(1000 + 3 * i, 0, rnd.nextInt(10), f);
        }
        return t;
    }

    static float[] vector(SplittableRandom rnd) {
        float[] u = new float[D + 1];
        for (int a = 0; a < D; a++) {
            u[a] = (float) rnd.nextGaussian();
        }
        return u;
    }

    @Test
    void concurrentRequestsAreBatchedAndAnsweredAsSingleScansWould() throws Exception {
        ItemFactorTable items = table(20_000, 1);
        ItemColumns columns = new ItemColumns(D);
        items.addListener(columns::set);
        Metrics metrics = new Metrics();
        int requests = 400;
        List<float[]> users = new ArrayList<>();
        List<CompletableFuture<BatchScanner.Result>> results = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(2);
        try (BatchScanner scanner = new BatchScanner(items, columns, null, 1, 2, 8, metrics)) {
            for (int i = 0; i < requests; i++) {
                float[] u = vector(rnd);
                users.add(u);
                boolean cosine = i % 5 == 0;
                results.add(scanner.submit(u, cosine ? 0f : 1f, cosine, i % 3, i % 7 == 0 ? 17 : -1, 10 + i % 30, false));
            }
            ItemScan single = ItemScan.create();
            ItemFactorTable.Snapshot tab = items.snapshot();
            for (int i = 0; i < requests; i++) {
                BatchScanner.Result r = results.get(i).get(30, TimeUnit.SECONDS);
                boolean cosine = i % 5 == 0;
                TopK top = new TopK(10 + i % 30);
                single.scan(columns.view(), tab.size(), users.get(i), cosine ? 0f : 1f, cosine, tab.counts(), i % 3,
                        i % 7 == 0 ? 17 : -1, top);
                top.sortDescending();
                int[] rows = new int[top.size()];
                for (int j = 0; j < rows.length; j++) {
                    rows[j] = top.row(j);
                }
                assertArrayEquals(rows, r.rows(), "request " + i);
                assertEquals(tab.size(), r.scanned());
                assertEquals(10 + i % 30, r.capacity());
            }
        }
        String text = metrics.prometheusText();
        assertTrue(text.contains("foldin_scan_batch_size_count"), text);
        double passes = metrics.histogram(Metric.SCAN_BATCH_SIZE).count();
        assertTrue(passes < requests, "400 queued requests took " + passes + " passes: no batching");
        assertEquals(requests, (long) metrics.histogram(Metric.SCAN_BATCH_SIZE).sum());
    }

    /**
     * With the item index built, ranking scans come from it (bound-stopped, so equal to the exact scan) unless
     * they ask for exact; cosine scans always scan. A row put after the build is found through the index.
     */
    @Test
    void rankingScansUseTheIndexUnlessExactAndGiveTheExactAnswer() throws Exception {
        ItemFactorTable items = table(20_000, 3);
        ItemColumns columns = new ItemColumns(D);
        items.addListener(columns::set);
        LiveIndex index = new LiveIndex(items, 10_000, false);
        Metrics metrics = new Metrics();
        try (BatchScanner scanner = new BatchScanner(items, columns, index, Integer.MAX_VALUE, 2, 8, metrics)) {
            SplittableRandom rnd = new SplittableRandom(4);
            float[] u0 = vector(rnd);
            assertFalse(scanner.indexReady());
            assertFalse(scanner.submit(u0, 1f, false, 0, -1, 10, false).get(10, TimeUnit.SECONDS).indexed(),
                    "no index before it is built");
            index.rebuild();
            assertTrue(scanner.indexReady());
            float[] big = new float[D + 1];
            for (int a = 0; a < D; a++) {
                big[a] = 50 * u0[a];
            }
            items.put(999_999, 0, 5, big); // a new row, far out along u0: it must come first
            BatchScanner.Result first = scanner.submit(u0, 1f, false, 0, -1, 10, false).get(10, TimeUnit.SECONDS);
            assertTrue(first.indexed());
            assertEquals(999_999, first.table().ids()[first.rows()[0]]);
            for (int i = 0; i < 60; i++) {
                float[] u = vector(rnd);
                boolean cosine = i % 6 == 0;
                BatchScanner.Result viaIndex = scanner.submit(u, cosine ? 0f : 0.1f, cosine, i % 3, -1, 10 + i, false)
                        .get(10, TimeUnit.SECONDS);
                BatchScanner.Result exact = scanner.submit(u, cosine ? 0f : 0.1f, cosine, i % 3, -1, 10 + i, true)
                        .get(10, TimeUnit.SECONDS);
                assertEquals(!cosine, viaIndex.indexed(), "request " + i);
                assertFalse(exact.indexed());
                assertArrayEquals(exact.rows(), viaIndex.rows(), "request " + i);
                assertArrayEquals(exact.scores(), viaIndex.scores(), "request " + i);
            }
        }
        assertTrue(metrics.histogram(Metric.SCAN_INDEX_ROWS).count() >= 50);
    }

    @Test
    void anEmptyTableGivesEmptyResultsAndCloseFailsWhatComesLater() throws Exception {
        ItemFactorTable items = new ItemFactorTable(D);
        ItemColumns columns = new ItemColumns(D);
        BatchScanner scanner = new BatchScanner(items, columns, null, 1, 1, 4, new Metrics());
        BatchScanner.Result r = scanner.submit(new float[D + 1], 1f, false, 0, -1, 10, false).get(10, TimeUnit.SECONDS);
        assertEquals(0, r.size());
        assertEquals(0, r.scanned());
        scanner.close();
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> scanner.submit(new float[D + 1], 1f, false, 0, -1, 10, false).get(10, TimeUnit.SECONDS));
        ApiError api = assertInstanceOf(ApiError.class, e.getCause());
        assertEquals(503, api.status());
    }
}
