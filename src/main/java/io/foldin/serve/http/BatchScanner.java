package io.foldin.serve.http;

import io.foldin.metrics.Histogram;
import io.foldin.metrics.Metric;
import io.foldin.metrics.Metrics;
import io.foldin.serve.rank.ItemColumns;
import io.foldin.serve.rank.ItemScan;
import io.foldin.serve.rank.LiveIndex;
import io.foldin.serve.rank.PartitionIndex;
import io.foldin.serve.rank.ScanQuery;
import io.foldin.serve.rank.TopK;
import io.foldin.stream.live.ItemFactorTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Runs the item scans of all requests on dedicated threads, batching them: a thread takes the oldest
 * pending scan, drains whatever else is pending (up to the batch limit) and scores them all in one
 * pass ({@link ItemScan#scanBatch}), so the 7 MB of item columns is read once for the batch instead of
 * once per request. There is no waiting window: an idle thread starts on the first request at once,
 * and batches grow only while requests arrive faster than passes end. Results complete on the scan
 * thread; callers move them to their own thread (the event loop) before touching anything else.
 *
 * <p>A ranking scan (not cosine) that did not ask to be exact is answered from the item index instead, when
 * it is built ({@link LiveIndex#ready}): one search per request on the same thread, in the same pass, since an
 * index search reads a few cells and gains nothing from sharing a pass over the columns.
 */
final class BatchScanner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchScanner.class);

    /**
     * The best rows of one scan, best first, with the table they index (ids, counts, factors).
     *
     * @param scanned  rows the pass scored
     * @param capacity rows it could keep: the requested count, at most {@code scanned} (at least 1); fewer
     *                 kept means fewer were eligible
     */
    record Result(ItemFactorTable.Snapshot table, int scanned, int capacity, int[] rows, float[] scores,
                  boolean indexed) {
        int size() {
            return rows.length;
        }
    }

    /** One pending scan: a {@link ScanQuery} without its selection, plus how many rows to keep. */
    private record Pending(float[] u, float biasWeight, boolean cosine, int minCount, int skipRow, int capacity,
                           boolean exact, long submitted, CompletableFuture<Result> done) {
    }

    private final ItemFactorTable items;
    private final ItemColumns columns;
    private final LiveIndex index;
    private final int probes;
    private final int maxBatch;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Histogram batchSizes;
    private final Histogram passSeconds;
    private final Histogram waitSeconds;
    private final Histogram candidates;
    private final Histogram indexScored;
    private volatile boolean closed;

    /** @param index the item index (null: every scan is exact); {@code probes} its search budget */
    BatchScanner(ItemFactorTable items, ItemColumns columns, LiveIndex index, int probes, int threadCount, int maxBatch,
                 Metrics metrics) {
        if (threadCount < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("scan threads and batch must be >= 1");
        }
        this.items = items;
        this.columns = columns;
        this.index = index;
        this.probes = probes;
        this.maxBatch = maxBatch;
        this.batchSizes = metrics.histogram(Metric.SCAN_BATCH_SIZE);
        this.passSeconds = metrics.histogram(Metric.SCAN_PASS_SECONDS);
        this.waitSeconds = metrics.histogram(Metric.SCAN_WAIT_SECONDS);
        this.candidates = metrics.histogram(Metric.SCAN_CANDIDATES);
        this.indexScored = metrics.histogram(Metric.SCAN_INDEX_ROWS);
        for (int i = 0; i < threadCount; i++) {
            Thread t = new Thread(this::loop, "item-scan-" + i);
            t.setDaemon(true);
            // Under streaming load a pass otherwise waited ms for a core (wait 8 ms for a 0.5 ms pass);
            // effective with -XX:ThreadPriorityPolicy=1 and root or CAP_SYS_NICE (README, "Serving latency").
            t.setPriority(Thread.MAX_PRIORITY);
            threads.add(t);
        }
        threads.forEach(Thread::start);
    }

    /**
     * Queues a scan for the best {@code capacity} eligible rows (fewer when the table is smaller).
     * {@code exact} keeps it off the index. The future fails with {@link ApiError} 503 once the scanner is closed.
     */
    CompletableFuture<Result> submit(float[] u, float biasWeight, boolean cosine, int minCount, int skipRow,
                                     int capacity, boolean exact) {
        CompletableFuture<Result> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(stopped());
            return f;
        }
        queue.add(new Pending(u, biasWeight, cosine, minCount, skipRow, Math.max(1, capacity), exact, System.nanoTime(),
                f));
        if (closed) {
            failPending();
        }
        return f;
    }

    /** Whether ranking scans are answered from the index now. */
    boolean indexReady() {
        return index != null && index.ready() != null;
    }

    private void loop() {
        ItemScan scan = ItemScan.create();
        PartitionIndex.Search search = new PartitionIndex.Search();
        List<Pending> batch = new ArrayList<>(maxBatch);
        ScanQuery[] queries = new ScanQuery[maxBatch];
        TopK[] tops = new TopK[maxBatch];
        for (int i = 0; i < maxBatch; i++) {
            tops[i] = new TopK(64);
        }
        warmUp(scan, queries, tops);
        try {
            while (!closed) {
                Pending first = queue.take();
                batch.clear();
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                try {
                    pass(scan, search, batch, queries, tops);
                } catch (RuntimeException e) {
                    // a bug, not a state: this batch's requests get 500, the next batch is scanned as usual
                    LOG.error("item scan pass failed", e);
                    batch.forEach(p -> p.done().completeExceptionally(e));
                }
            }
        } catch (InterruptedException e) {
            // close(): what is still queued is failed there
        }
    }

    /**
     * Runs the kernel on a small random table until the JIT has compiled it: interpreted, a Vector API
     * pass over the twin's 84k items takes seconds, and the requests of the first seconds would queue
     * behind it. Every batch size, with ranking and cosine queries in every position of a group: a
     * branch the warm-up never took would be compiled as a trap, and the first request taking it would
     * send the kernel back to the interpreter until it is compiled again (seen as passes of 10 ms).
     */
    private void warmUp(ItemScan scan, ScanQuery[] queries, TopK[] tops) {
        int d = columns.factors();
        int rows = 4096 + 7;
        ItemColumns table = new ItemColumns(d);
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(1);
        float[] row = new float[d + 1];
        int[] counts = new int[rows];
        for (int r = 0; r < rows; r++) {
            for (int a = 0; a <= d; a++) {
                row[a] = (float) rnd.nextGaussian();
            }
            table.set(r, row, 0);
            counts[r] = rnd.nextInt(3);
        }
        long t0 = System.nanoTime();
        for (int pass = 0; pass < 600 && !closed; pass++) {
            int n = 1 + pass % maxBatch;
            for (int i = 0; i < n; i++) {
                tops[i].reset(1 + rnd.nextInt(80));
                queries[i] = new ScanQuery(row, rnd.nextFloat(), rnd.nextBoolean(), rnd.nextInt(2),
                        rnd.nextInt(-1, rows), tops[i]);
            }
            scan.scanBatch(table.view(), rows, counts, queries, n);
        }
        java.util.Arrays.fill(queries, null);
        LOG.info("{} scan kernel warmed up in {} ms", scan.name(), (System.nanoTime() - t0) / 1_000_000);
    }

    private void pass(ItemScan scan, PartitionIndex.Search search, List<Pending> batch, ScanQuery[] queries,
                      TopK[] tops) {
        long t0 = System.nanoTime();
        ItemFactorTable.Snapshot tab = items.snapshot();
        ItemColumns.View v = columns.view();
        int rows = Math.min(tab.size(), v.size());
        int n = batch.size();
        PartitionIndex idx = index == null ? null : index.ready();
        boolean[] indexed = new boolean[n];
        int exact = 0;
        for (int i = 0; i < n; i++) {
            Pending p = batch.get(i);
            waitSeconds.observeNanos(t0 - p.submitted());
            tops[i].reset(Math.max(1, Math.min(p.capacity(), rows)));
            if (idx != null && !p.exact() && !p.cosine() && rows > 0) {
                indexed[i] = true;
                idx.search(p.u(), p.biasWeight(), tab.counts(), rows, p.minCount(), p.skipRow(), tops[i], probes,
                        search);
                indexScored.observe(search.scored());
            } else {
                queries[exact++] = new ScanQuery(p.u(), p.biasWeight(), p.cosine(), p.minCount(), p.skipRow(), tops[i]);
            }
        }
        if (rows > 0 && exact > 0) {
            scan.scanBatch(v, rows, tab.counts(), queries, exact);
        }
        passSeconds.observeNanos(System.nanoTime() - t0);
        batchSizes.observe(n);
        for (int i = 0; i < n; i++) {
            TopK top = tops[i];
            candidates.observe(top.entered());
            top.sortDescending();
            int[] r = new int[top.size()];
            float[] s = new float[top.size()];
            int kept = 0;
            for (int j = 0; j < r.length; j++) {
                // an index search racing a row's move between cells may meet it twice: keep the first
                if (indexed[i] && seen(r, kept, top.row(j))) {
                    continue;
                }
                r[kept] = top.row(j);
                s[kept++] = top.score(j);
            }
            if (kept < r.length) {
                r = java.util.Arrays.copyOf(r, kept);
                s = java.util.Arrays.copyOf(s, kept);
            }
            queries[i] = null;
            batch.get(i).done().complete(new Result(tab, rows, top.capacity(), r, s, indexed[i]));
        }
    }

    private static boolean seen(int[] rows, int n, int row) {
        for (int j = 0; j < n; j++) {
            if (rows[j] == row) {
                return true;
            }
        }
        return false;
    }

    private static ApiError stopped() {
        return ApiError.unavailable("shutting_down", "the service is shutting down");
    }

    private void failPending() {
        Pending p;
        while ((p = queue.poll()) != null) {
            p.done().completeExceptionally(stopped());
        }
    }

    /**
     * Stops the threads once their passes in progress end, and the index's builder; queued and later scans fail
     * with 503.
     */
    @Override
    public void close() {
        closed = true;
        if (index != null) {
            index.close();
        }
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        failPending();
    }
}
