package io.foldin.serve.rank;

import io.foldin.stream.live.ItemFactorTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.BitSet;

/**
 * A {@link PartitionIndex} of the live item table, kept up to date from it: every row the table writes (the
 * item-factors global store, a sweep's rows, prior rows) is {@link PartitionIndex#put} at once, on the writing
 * thread. A background thread builds the index once the table holds {@code minItems} rows and rebuilds it
 * (k-means again) when the partition has grown loose: when as many row writes as half the rows of the last
 * build have arrived since (a sweep rewrites every row), or the table has grown by a quarter; at most one
 * build per {@link #MIN_GAP_MS}. Rows written during a build are marked and put into the new index from the
 * table before it replaces the old one, so none is lost; they count as writes since that build. Until the first build, and while the table has fewer
 * than {@code minItems} rows, {@link #ready()} is null and serving scans exactly.
 */
public final class LiveIndex implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveIndex.class);
    static final long MIN_GAP_MS = 10_000;
    private static final long SEED = 42;

    private final ItemFactorTable table;
    private final int minItems;
    private volatile PartitionIndex index;
    private BitSet dirty;
    private long writesSinceBuild;
    private int rowsAtBuild;
    private final Thread thread;
    private volatile boolean closed;

    /** @param background false: no thread, {@link #rebuild} is called by the owner (tests) */
    public LiveIndex(ItemFactorTable table, int minItems, boolean background) {
        this.table = table;
        this.minItems = minItems;
        table.addListener(this::written);
        if (background) {
            thread = new Thread(this::loop, "item-index");
            thread.setDaemon(true);
            thread.start();
        } else {
            thread = null;
        }
    }

    /** Cells for n rows: about √n, so a cell and the centroids cost about the same to score. */
    static int cellsFor(int n) {
        return (int) Math.max(16, Math.min(8192, Math.round(Math.sqrt(n))));
    }

    /** The index when the table is large enough for it and it has been built, else null (scan exactly). */
    public PartitionIndex ready() {
        PartitionIndex i = index;
        return i != null && table.size() >= minItems ? i : null;
    }

    private synchronized void written(int row, float[] data, int off) {
        writesSinceBuild++;
        PartitionIndex i = index;
        if (i != null) {
            i.put(row, data, off);
        }
        if (dirty != null) {
            dirty.set(row);
        }
    }

    private synchronized boolean due() {
        int size = table.size();
        if (size < Math.max(1, minItems)) {
            return false;
        }
        return index == null || writesSinceBuild >= Math.max(1, rowsAtBuild / 2) || size >= rowsAtBuild + rowsAtBuild / 4;
    }

    /** Builds a new index from the table and puts it in place; the rows written meanwhile are put into it first. */
    public void rebuild() {
        synchronized (this) {
            dirty = new BitSet();
        }
        long t0 = System.nanoTime();
        ItemFactorTable.Snapshot s = table.snapshot();
        int n = s.size();
        if (n == 0) {
            synchronized (this) {
                dirty = null;
            }
            return;
        }
        PartitionIndex built = PartitionIndex.build(s.data(), s.stride(), n, cellsFor(n), SEED);
        synchronized (this) {
            ItemFactorTable.Snapshot now = table.snapshot();
            for (int r = dirty.nextSetBit(0); r >= 0 && r < now.size(); r = dirty.nextSetBit(r + 1)) {
                built.put(r, now.data(), r * now.stride());
            }
            for (int r = n; r < now.size(); r++) {
                built.put(r, now.data(), r * now.stride());
            }
            LOG.info("item index of {} rows in {} cells built in {} ms ({} rows written meanwhile)", n, built.cells(),
                    (System.nanoTime() - t0) / 1_000_000, dirty.cardinality());
            // rows rewritten during the build (a sweep's) were put into cells fitted to their old values: they count
            // towards the next build, so a build that overlapped a sweep is followed by one on the swept rows
            writesSinceBuild = dirty.cardinality();
            dirty = null;
            index = built;
            rowsAtBuild = now.size();
        }
    }

    private void loop() {
        long last = 0;
        while (!closed) {
            try {
                Thread.sleep(1000);
                if (due() && System.currentTimeMillis() - last >= MIN_GAP_MS) {
                    rebuild();
                    last = System.currentTimeMillis();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // the old index (or the exact scan) keeps serving; try again after the gap
                LOG.error("item index build failed", e);
                last = System.currentTimeMillis();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
