package io.foldin.serve.rank;

import java.util.Arrays;

/**
 * Maximum-inner-product search for the ranking score of {@link ItemScan}, over the item rows
 * {@code x_r = [V_r; b_r]} (D + 1 entries). The score is already an inner product with an augmented query:
 * <pre>
 *   s_r = u·V_r + w b_r = q·x_r,   q = [u; w]
 * </pre>
 * (μ and b_u are the same for every item and do not change the order; cosine and the variance rankings are
 * not of this form and stay with the exact scan.) Scores are computed as the scan does, {@code s = w·b},
 * then {@code s = fma(u_a, V_r[a], s)} for a = 0 … D−1, so an item the index finds has the scan's score bit
 * for bit.
 *
 * <p><b>Partitions and bound.</b> The rows are split into cells P_c by k-means ({@link KMeans}); each cell has
 * a centroid {@code c_c} and a radius {@code ρ_c ≥ max_{r∈P_c} ‖x_r − c_c‖}. By Cauchy–Schwarz every row of the
 * cell scores at most
 * <pre>
 *   q·x_r = q·c_c + q·(x_r − c_c) ≤ q·c_c + ‖q‖ ρ_c =: β_c .
 * </pre>
 * A search visits cells in decreasing β_c and scores every row of each (a column-major block, as the scan).
 * It stops when the next β_c is below the selection's threshold: no row left can enter, so the result equals
 * the exact scan's (recall 1). It also stops once it has visited {@code probes} cells and holds as many rows as
 * asked (approximate: the bound is loose in D + 1 = 21 dimensions, see load-tests/RESULTS.md for recall and
 * cells visited). Cells are visited in that order either way, so large-norm cells, whose rows can score high
 * for any query, come early: the order is norm-aware.
 *
 * <p><b>Updates.</b> {@link #put} moves or updates one row: a row still within its cell's radius is
 * overwritten in place; otherwise it goes to the cell with the nearest centroid (removed from its own by
 * moving that cell's last row into its slot), whose radius grows to cover it. Centroids stay as built, so
 * the bound stays valid under every update; the partition only grows looser, and {@link LiveIndex} rebuilds
 * it when enough rows have changed.
 *
 * <p>One writer at a time (the caller serialises {@link #put}); searches run concurrently without locks. A
 * cell grows by publishing a new block before its larger size, so a reader never reads past a block; a
 * reader racing a move may see the moved row twice or not at all, or a row mixing old and new entries, which
 * blurs one request as the item table itself does ({@link io.foldin.stream.live.ItemFactorTable}).
 */
public final class PartitionIndex {
    /** A cell's rows and their {@code [V; b]} column-major: {@code cols[a][slot]}, the bias last. */
    private record Block(int[] rows, float[][] cols) {
    }

    private static final class Cell {
        volatile Block block;
        volatile int size;
    }

    /**
     * Cells a search visits at most once it holds the rows asked for: by default no limit, so the bound alone
     * stops it and the answer is exact. In the service on the 1M-item twin a budget of 64 cells gave recall@10
     * 0.94 (load-tests/RESULTS.md, "Item index"): there most rows are prior rows, and the bound needed more.
     */
    public static final int DEFAULT_PROBES = Integer.MAX_VALUE;

    private final int d1;
    private final int cells;
    /** Centroids column-major, {@code cent[a][c]}, and their squared norms. */
    private final float[][] cent;
    private final float[] centNorm2;
    private final float[] radius;
    private final Cell[] cell;
    private int[] cellOf;
    private int[] slotOf;
    private int rows;

    /** Per-thread scratch for {@link #search}. */
    public static final class Search {
        float[] centScore = new float[0];
        long[] order = new long[0];
        float[] s = new float[0];
        /** Cells the last search visited and rows it scored, for metrics and tests. */
        int visited;
        int scored;

        public int visited() {
            return visited;
        }

        public int scored() {
            return scored;
        }
    }

    PartitionIndex(float[][] cent, int[] cellOfRow, float[] data, int stride, int n) {
        this.d1 = stride;
        this.cells = cent[0].length;
        this.cent = cent;
        this.centNorm2 = new float[cells];
        this.radius = new float[cells];
        this.cell = new Cell[cells];
        int[] sizes = new int[cells];
        for (int r = 0; r < n; r++) {
            sizes[cellOfRow[r]]++;
        }
        for (int c = 0; c < cells; c++) {
            double s = 0;
            for (int a = 0; a < d1; a++) {
                s += (double) cent[a][c] * cent[a][c];
            }
            centNorm2[c] = (float) s;
            cell[c] = new Cell();
            cell[c].block = new Block(new int[Math.max(4, sizes[c])], new float[d1][Math.max(4, sizes[c])]);
        }
        this.cellOf = new int[Math.max(16, n)];
        this.slotOf = new int[Math.max(16, n)];
        Arrays.fill(cellOf, -1);
        for (int r = 0; r < n; r++) {
            append(cellOfRow[r], r, data, r * stride);
        }
        this.rows = n;
    }

    /** Builds the index of rows {@code [0, n)} of a row-major table with stride D + 1; see {@link KMeans}. */
    public static PartitionIndex build(float[] data, int stride, int n, int cells, long seed) {
        KMeans km = KMeans.fit(data, stride, n, cells, seed);
        return new PartitionIndex(km.centroids(), km.assignment(), data, stride, n);
    }

    public int cells() {
        return cells;
    }

    /** Rows indexed: one past the highest row put. */
    public synchronized int rows() {
        return rows;
    }

    /** Row {@code row} now holds {@code [V; b]} = {@code src[off .. off+D]}; see the class comment. */
    public synchronized void put(int row, float[] src, int off) {
        if (row >= cellOf.length) {
            int cap = Math.max(row + 1, cellOf.length * 2);
            int old = cellOf.length;
            cellOf = Arrays.copyOf(cellOf, cap);
            slotOf = Arrays.copyOf(slotOf, cap);
            Arrays.fill(cellOf, old, cap, -1);
        }
        rows = Math.max(rows, row + 1);
        int c = cellOf[row];
        if (c >= 0) {
            double dist = distance(src, off, c);
            if (dist <= radius[c]) {
                write(cell[c].block, slotOf[row], src, off);
                return;
            }
        }
        int near = nearest(src, off);
        if (near == c) {
            write(cell[c].block, slotOf[row], src, off);
            radius[c] = Math.max(radius[c], padded(distance(src, off, c)));
            return;
        }
        if (c >= 0) {
            remove(c, row);
        }
        append(near, row, src, off);
    }

    private void append(int c, int row, float[] src, int off) {
        Cell x = cell[c];
        Block b = x.block;
        int n = x.size;
        if (n == b.rows().length) {
            int cap = n * 2;
            float[][] cols = new float[d1][];
            for (int a = 0; a < d1; a++) {
                cols[a] = Arrays.copyOf(b.cols()[a], cap);
            }
            b = new Block(Arrays.copyOf(b.rows(), cap), cols);
            x.block = b;
        }
        b.rows()[n] = row;
        write(b, n, src, off);
        cellOf[row] = c;
        slotOf[row] = n;
        radius[c] = Math.max(radius[c], padded(distance(src, off, c)));
        x.size = n + 1;
    }

    /** The cell's last row takes the slot of {@code row}. */
    private void remove(int c, int row) {
        Cell x = cell[c];
        Block b = x.block;
        int last = x.size - 1;
        int slot = slotOf[row];
        int moved = b.rows()[last];
        for (int a = 0; a < d1; a++) {
            b.cols()[a][slot] = b.cols()[a][last];
        }
        b.rows()[slot] = moved;
        slotOf[moved] = slot;
        x.size = last;
        cellOf[row] = -1;
    }

    private void write(Block b, int slot, float[] src, int off) {
        for (int a = 0; a < d1; a++) {
            b.cols()[a][slot] = src[off + a];
        }
    }

    /**
     * The radius kept for a distance: a little larger, so that the float rounding of scores and of the bound
     * can never make the bound fall below a score it covers.
     */
    private static float padded(double dist) {
        return (float) (dist * (1 + 1e-5) + 1e-6);
    }

    private double distance(float[] src, int off, int c) {
        double s = 0;
        for (int a = 0; a < d1; a++) {
            double e = src[off + a] - cent[a][c];
            s += e * e;
        }
        return Math.sqrt(s);
    }

    private int nearest(float[] src, int off) {
        return KMeans.nearest(cent, centNorm2, src, off, new float[cells]);
    }

    /**
     * The best rows for {@code q = [u; w]} into {@code top} (reset by the caller): rows {@code < limit} with
     * {@code counts[r] ≥ minCount} and {@code r ≠ skipRow}. Visits cells until the bound proves the rest cannot
     * enter, or until {@code probes} cells are visited and {@code top} is full. {@code probes} ≥ the number of
     * cells makes it exact.
     */
    public void search(float[] u, float w, int[] counts, int limit, int minCount, int skipRow, TopK top, int probes,
                       Search ws) {
        int d = d1 - 1;
        if (ws.centScore.length < cells) {
            ws.centScore = new float[cells];
            ws.order = new long[cells];
        }
        float[] cs = ws.centScore;
        float[] bias = cent[d];
        for (int c = 0; c < cells; c++) {
            cs[c] = w * bias[c];
        }
        double qn = w * (double) w;
        for (int a = 0; a < d; a++) {
            float ua = u[a];
            qn += (double) ua * ua;
            float[] col = cent[a];
            for (int c = 0; c < cells; c++) {
                cs[c] = Math.fma(ua, col[c], cs[c]);
            }
        }
        float qNorm = (float) (Math.sqrt(qn) * (1 + 1e-6));
        long[] order = ws.order;
        for (int c = 0; c < cells; c++) {
            order[c] = (~sortable(cs[c] + qNorm * radius[c]) << 32) | c; // ascending = best bound first
        }
        // a binary min-heap of the keys, popped in order: a search visits ~5% of the cells, so heapifying (O(K))
        // and popping what it visits is cheaper than sorting all K
        for (int i = cells / 2 - 1; i >= 0; i--) {
            siftDown(order, i, cells);
        }
        ws.visited = 0;
        ws.scored = 0;
        for (int left = cells; left > 0; left--) {
            int c = (int) order[0];
            order[0] = order[left - 1];
            siftDown(order, 0, left - 1);
            float bound = cs[c] + qNorm * radius[c];
            boolean full = top.size() == top.capacity();
            if (full && (bound < top.threshold() || ws.visited >= probes)) {
                break;
            }
            ws.visited++;
            ws.scored += scoreCell(c, u, w, counts, limit, minCount, skipRow, top, ws);
        }
    }

    private int scoreCell(int c, float[] u, float w, int[] counts, int limit, int minCount, int skipRow, TopK top,
                          Search ws) {
        Cell x = cell[c];
        int n = x.size;
        Block b = x.block;
        if (n == 0) {
            return 0;
        }
        if (ws.s.length < n) {
            ws.s = new float[Math.max(n, ws.s.length * 2)];
        }
        float[] s = ws.s;
        int d = d1 - 1;
        float[] bias = b.cols()[d];
        for (int j = 0; j < n; j++) {
            s[j] = w * bias[j];
        }
        for (int a = 0; a < d; a++) {
            float ua = u[a];
            float[] col = b.cols()[a];
            for (int j = 0; j < n; j++) {
                s[j] = Math.fma(ua, col[j], s[j]);
            }
        }
        int[] rowOf = b.rows();
        float threshold = top.threshold();
        for (int j = 0; j < n; j++) {
            float y = s[j];
            if (y >= threshold) {
                int r = rowOf[j];
                if (r < limit && counts[r] >= minCount && r != skipRow) {
                    top.offer(y, r);
                    threshold = top.threshold();
                }
            }
        }
        return n;
    }

    private static void siftDown(long[] h, int i, int n) {
        long x = h[i];
        while (true) {
            int l = 2 * i + 1;
            if (l >= n) {
                break;
            }
            int m = l + 1 < n && h[l + 1] < h[l] ? l + 1 : l;
            if (h[m] >= x) {
                break;
            }
            h[i] = h[m];
            i = m;
        }
        h[i] = x;
    }

        /** An int whose signed order is the float's order (NaN aside). */
    private static long sortable(float f) {
        int bits = Float.floatToIntBits(f);
        return bits >= 0 ? bits : bits ^ 0x7FFFFFFF;
    }
}
