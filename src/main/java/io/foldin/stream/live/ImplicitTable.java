package io.foldin.stream.live;

import io.foldin.model.PackedGram;
import java.util.Arrays;

/**
 * One side (users or items) of the live implicit model (design §1.9): dense rows of D floats by id and their
 * exact Gram {@code G = Σ v vᵀ} (D x D), which the other side's fold-in needs ({@code x_u = (YᵀY + λI + S_u)⁻¹ h_u}).
 *
 * <p>G is kept by a rank-two update per put, {@code G += v_new v_newᵀ − v_old v_oldᵀ}, accumulated in double;
 * a row that keeps being replaced would let rounding drift pile up, so G is recomputed from the rows after every
 * {@link #size()} puts: O(n D²) every n puts, O(D²) per put amortised, and the drift stays that of n updates.
 *
 * <p>One writer thread (a global-store processor), many readers (stream threads, HTTP threads). {@link #put} and
 * {@link #gram} share a lock, so a Gram copy is always the Gram of one set of rows. {@link #get} and
 * {@link #forEach} are lock-free: a row overwritten while read may mix old and new entries (each float is
 * atomic), which blurs one score and is corrected by the row's next read; rows are never removed.
 */
public final class ImplicitTable {
    /** Visits a row: {@code v = data[off .. off + D)}, owned by the table (read, never keep or write). */
    @FunctionalInterface
    public interface RowVisitor {
        void row(int id, float[] data, int off);
    }

    /** Rows {@code [0, size)} of {@code data} (stride D) are valid; {@code ids[r]} is row r's id. */
    private record Rows(int size, float[] data, int[] ids) {
    }

    private final int d;
    private final RowIndex index = new RowIndex();
    private final double[] gram;
    private final double[] tmp;
    private volatile Rows rows;
    /** Puts since G was last recomputed from the rows. */
    private int putsSinceRecompute;

    public ImplicitTable(int factors) {
        if (factors < 1) {
            throw new IllegalArgumentException("factors must be >= 1, got " + factors);
        }
        this.d = factors;
        this.gram = new double[PackedGram.size(factors)];
        this.tmp = new double[factors];
        this.rows = new Rows(0, new float[256 * factors], new int[256]);
    }

    public int factors() {
        return d;
    }

    /** Rows present. */
    public int size() {
        return rows.size();
    }

    /** Whether the id has a row. */
    public boolean contains(int id) {
        return index.get(id) >= 0;
    }

    /**
     * Stores a copy of {@code vector} (D floats) as the id's row, replacing the old one, and updates G by
     * {@code + v_new v_newᵀ − v_old v_oldᵀ}.
     */
    public synchronized void put(int id, float[] vector) {
        if (vector.length != d) {
            throw new IllegalArgumentException("vector of length " + vector.length + " for a table of D = " + d);
        }
        Rows s = rows;
        int r = index.get(id);
        if (r >= 0) {
            float[] data = s.data();
            int off = r * d;
            addOuter(data, off, -1.0);
            System.arraycopy(vector, 0, data, off, d);
        } else {
            r = s.size();
            if (r == s.ids().length) {
                int cap = r * 2;
                s = new Rows(r, Arrays.copyOf(s.data(), cap * d), Arrays.copyOf(s.ids(), cap));
            }
            System.arraycopy(vector, 0, s.data(), r * d, d);
            s.ids()[r] = id;
            // the row is written before it is published: through the new size, then through the index
            rows = new Rows(r + 1, s.data(), s.ids());
            index.add(id, r);
        }
        addOuter(vector, 0, 1.0);
        if (++putsSinceRecompute >= rows.size()) {
            recompute();
        }
    }

    /** Copies the id's row into {@code out[0 .. D)}; false (out untouched) when the id has no row. */
    public boolean get(int id, float[] out) {
        int r = index.get(id);
        if (r < 0) {
            return false;
        }
        System.arraycopy(rows.data(), r * d, out, 0, d);
        return true;
    }

    /** A consistent copy of G: packed as {@link PackedGram} lays out an n x n matrix, n = D. */
    public synchronized void gram(double[] outPacked) {
        System.arraycopy(gram, 0, outPacked, 0, gram.length);
    }

    /** A fresh copy of G, packed ({@link #gram(double[])}). */
    public double[] gram() {
        double[] g = new double[gram.length];
        gram(g);
        return g;
    }

    /** Calls the visitor for every row present when the scan starts, in row order (the order of first puts). */
    public void forEach(RowVisitor v) {
        Rows s = rows;
        float[] data = s.data();
        int[] ids = s.ids();
        for (int r = 0, off = 0; r < s.size(); r++, off += d) {
            v.row(ids[r], data, off);
        }
    }

    private void addOuter(float[] v, int off, double w) {
        for (int a = 0; a < d; a++) {
            tmp[a] = v[off + a];
        }
        PackedGram.addOuter(gram, d, tmp, w);
    }

    private void recompute() {
        Arrays.fill(gram, 0.0);
        Rows s = rows;
        for (int r = 0; r < s.size(); r++) {
            addOuter(s.data(), r * d, 1.0);
        }
        putsSinceRecompute = 0;
    }
}
