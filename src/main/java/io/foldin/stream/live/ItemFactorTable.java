package io.foldin.stream.live;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every item's latest {@code [V_i; b_i]} and rating count in one dense float array (stride D+1), fed
 * from the compacted {@code item-factors} topic on every instance. The user-side fold-in reads item
 * vectors here, and serving scans {@link Snapshot#data()} for top-k.
 *
 * <p>Catalogue items without factors yet (no rating folded in) hold a prior row ({@link #putPrior}):
 * their genre prior mean with bias 0 and count 0, so that scans cover the whole catalogue. A prior
 * row is replaced by the first published factor and never replaces one; its epoch reads as -1,
 * as for an unknown item, so it claims no sweep (the item side skips updates older than a row's epoch).
 *
 * <p>One writer at a time ({@link #put} is synchronized), lock-free readers: a reader sees a
 * consistent set of rows through {@link #snapshot()}, while a row being overwritten at the same
 * moment may mix old and new entries (each float is atomic), which only blurs one score.
 */
public final class ItemFactorTable {
    /** The epoch stored for prior rows: below every real epoch, equal to what an unknown item reports. */
    public static final int PRIOR_EPOCH = -1;

    private final int stride;
    private final RowIndex index = new RowIndex();
    private volatile int priorRows;
    private volatile Snapshot snapshot;
    private final List<RowListener> listeners = new CopyOnWriteArrayList<>();

    /** Told about every row write, on the writing thread, under the table's lock (keep it short). */
    @FunctionalInterface
    public interface RowListener {
        /** Row {@code row} now holds {@code [V; b]} = {@code data[off .. off+D]}. */
        void written(int row, float[] data, int off);
    }

    /**
     * @param size   rows in use; rows {@code [0, size)} are valid
     * @param stride D + 1
     * @param data   row r at {@code [r*stride, (r+1)*stride)}: factor entries then the bias
     * @param ids    the item id of each row
     * @param counts ratings of each row's item when it was last solved
     * @param epoch  the model epoch of each row's last update; {@link #PRIOR_EPOCH} for a prior row
     * @param variance row r's posterior variances of {@code [V; b]} at {@code [r*stride, (r+1)*stride)}, as the
     *     item's factor record carried them (docs/design.md §1.8); NaN where none arrived (prior rows, records
     *     without them): readers then take the prior's variances
     */
    public record Snapshot(int size, int stride, float[] data, int[] ids, int[] counts, int[] epoch,
                           float[] variance) {
    }

    public ItemFactorTable(int factors) {
        this.stride = factors + 1;
        int cap = 1024;
        this.snapshot = new Snapshot(0, stride, new float[cap * stride], new int[cap], new int[cap], new int[cap],
                nans(cap * stride));
    }

    public int factors() {
        return stride - 1;
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    /** Rows in use: items with factors and prior rows. */
    public int size() {
        return snapshot.size();
    }

    /** Rows of catalogue items that hold their prior mean (no factors published yet). */
    public int priorRows() {
        return priorRows;
    }

    /** Row of the item, or -1. */
    public int rowOf(int itemId) {
        return index.get(itemId);
    }

    /** Copies the item's {@code [V; b]} into {@code out[off..]}; false (out untouched) if unknown. */
    public boolean get(int itemId, float[] out, int off) {
        int r = index.get(itemId);
        if (r < 0) {
            return false;
        }
        System.arraycopy(snapshot.data(), r * stride, out, off, stride);
        return true;
    }

    /** Ratings of the item when last solved, or 0. */
    public int count(int itemId) {
        int r = index.get(itemId);
        return r < 0 ? 0 : snapshot.counts()[r];
    }

    /** Model epoch of the item's row; -1 ({@link #PRIOR_EPOCH}) if unknown or only a prior row. */
    public int epoch(int itemId) {
        int r = index.get(itemId);
        return r < 0 ? -1 : snapshot.epoch()[r];
    }

    /**
     * Registers a listener and replays every existing row to it, so a mirror (serving's column
     * copy) that registers late still ends up complete; the lock orders replay and later writes.
     */
    public synchronized void addListener(RowListener listener) {
        Snapshot s = snapshot;
        for (int r = 0; r < s.size(); r++) {
            listener.written(r, s.data(), r * stride);
        }
        listeners.add(listener);
    }

    private static float[] nans(int n) {
        float[] a = new float[n];
        Arrays.fill(a, Float.NaN);
        return a;
    }

    /** Copies the item's carried variances of {@code [V; b]} into {@code out[off..]}; false if unknown. */
    public boolean variance(int itemId, float[] out, int off) {
        int r = index.get(itemId);
        if (r < 0) {
            return false;
        }
        System.arraycopy(snapshot.variance(), r * stride, out, off, stride);
        return true;
    }

    /**
     * {@link #put(int, int, int, float[])} with the item's posterior variances (null: the row keeps those it
     * had, NaN for a new row).
     */
    public synchronized void put(int itemId, int epoch, int count, float[] factor, float[] variance) {
        put(itemId, epoch, count, factor);
        if (variance != null && variance.length == stride) {
            System.arraycopy(variance, 0, snapshot.variance(), index.get(itemId) * stride, stride);
        }
    }

    /** The item's published factors {@code [V; b]}, solved from {@code count} ratings in model epoch {@code epoch}. */
    public synchronized void put(int itemId, int epoch, int count, float[] factor) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch " + epoch + " of item " + itemId + ": epochs are >= 0");
        }
        int r = index.get(itemId);
        if (r >= 0 && snapshot.epoch()[r] == PRIOR_EPOCH) {
            priorRows--;
        }
        write(itemId, r, epoch, count, factor);
    }

    /**
     * A prior row for the item: {@code [m; 0]} with count 0, unless the item has published factors
     * (then nothing changes). Returns whether the row was written.
     */
    public synchronized boolean putPrior(int itemId, float[] factor) {
        int r = index.get(itemId);
        if (r >= 0 && snapshot.epoch()[r] != PRIOR_EPOCH) {
            return false;
        }
        if (r < 0) {
            priorRows++;
        }
        write(itemId, r, PRIOR_EPOCH, 0, factor);
        return true;
    }

    private void write(int itemId, int r, int epoch, int count, float[] factor) {
        if (factor.length != stride) {
            throw new IllegalArgumentException("item factor of length " + factor.length + ", table has D+1 = " + stride);
        }
        Snapshot s = snapshot;
        if (r < 0) {
            int row = s.size();
            if (row == s.ids().length) {
                int cap = row * 2;
                float[] variance = Arrays.copyOf(s.variance(), cap * stride);
                Arrays.fill(variance, row * stride, cap * stride, Float.NaN);
                s = new Snapshot(row, stride, Arrays.copyOf(s.data(), cap * stride), Arrays.copyOf(s.ids(), cap),
                        Arrays.copyOf(s.counts(), cap), Arrays.copyOf(s.epoch(), cap), variance);
            }
            write(s, row, itemId, epoch, count, factor);
            snapshot = new Snapshot(row + 1, stride, s.data(), s.ids(), s.counts(), s.epoch(), s.variance());
            index.add(itemId, row);
        } else {
            write(s, r, itemId, epoch, count, factor);
        }
    }

    private void write(Snapshot s, int row, int itemId, int epoch, int count, float[] factor) {
        System.arraycopy(factor, 0, s.data(), row * stride, stride);
        s.ids()[row] = itemId;
        s.counts()[row] = count;
        s.epoch()[row] = epoch;
        for (RowListener l : listeners) {
            l.written(row, s.data(), row * stride);
        }
    }
}
