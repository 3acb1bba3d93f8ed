package io.foldin.serve.http;

import io.foldin.metrics.Metric;
import io.foldin.metrics.Metrics;
import io.foldin.serve.rank.ItemColumns;
import io.foldin.serve.rank.ItemScan;
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
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scan threads: batched answers equal single scans, batches form under load, close fails what is left. */
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
        try (BatchScanner scanner = new BatchScanner(items, columns, 2, 8, metrics)) {
            for (int i = 0; i < requests; i++) {
                float[] u = vector(rnd);
                users.add(u);
                boolean cosine = i % 5 == 0;
                results.add(scanner.submit(u, cosine ? 0f : 1f, cosine, i % 3, i % 7 == 0 ? 17 : -1, 10 + i % 30));
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

    @Test
    void anEmptyTableGivesEmptyResultsAndCloseFailsWhatComesLater() throws Exception {
        ItemFactorTable items = new ItemFactorTable(D);
        ItemColumns columns = new ItemColumns(D);
        BatchScanner scanner = new BatchScanner(items, columns, 1, 4, new Metrics());
        BatchScanner.Result r = scanner.submit(new float[D + 1], 1f, false, 0, -1, 10).get(10, TimeUnit.SECONDS);
        assertEquals(0, r.size());
        assertEquals(0, r.scanned());
        scanner.close();
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> scanner.submit(new float[D + 1], 1f, false, 0, -1, 10).get(10, TimeUnit.SECONDS));
        ApiError api = assertInstanceOf(ApiError.class, e.getCause());
        assertEquals(503, api.status());
    }
}
