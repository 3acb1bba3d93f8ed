package io.foldin.serve.rank;

import java.util.Arrays;

/**
 * A column-major copy of the item factor table for scans: column a holds entry a of every item's
 * {@code [V_i; b_i]} (the last column is the bias), plus {@code 1/‖V_i‖} for cosine similarity.
 * Rows are the rows of {@link io.foldin.stream.live.ItemFactorTable}; one contiguous float array
 * per column is what lets the JIT turn {@code s[j] += u_a · V[a][j]} into SIMD code, where the
 * row-major table only allows scalar dot products of length D.
 *
 * <p>Writers are serialised ({@link #set} is synchronized) and update rows in place; readers take
 * {@link #view()} without locking. A row overwritten during a scan may mix old and new entries
 * (each float is atomic), which blurs one score for one request, as in the table itself.
 */
public final class ItemColumns {

    /**
     * @param size    rows in use
     * @param factors D
     * @param cols    D + 1 columns of at least {@code size} entries: factor entries, then the bias
     * @param invNorm {@code 1/‖V_r‖}, 0 for a zero vector
     */
    public record View(int size, int factors, float[][] cols, float[] invNorm) {
    }

    private final int factors;
    private volatile View view;

    public ItemColumns(int factors) {
        this.factors = factors;
        int cap = 1024;
        float[][] cols = new float[factors + 1][cap];
        this.view = new View(0, factors, cols, new float[cap]);
    }

    public int factors() {
        return factors;
    }

    public View view() {
        return view;
    }

    /** Sets row {@code row} from {@code [V; b]} at {@code src[off .. off+D]}, growing as needed. */
    public synchronized void set(int row, float[] src, int off) {
        View v = view;
        float[][] cols = v.cols();
        float[] inv = v.invNorm();
        if (row >= inv.length) {
            int cap = Math.max(row + 1, inv.length * 2);
            float[][] grown = new float[factors + 1][];
            for (int a = 0; a <= factors; a++) {
                grown[a] = Arrays.copyOf(cols[a], cap);
            }
            cols = grown;
            inv = Arrays.copyOf(inv, cap);
        }
        double norm2 = 0;
        for (int a = 0; a < factors; a++) {
            float x = src[off + a];
            cols[a][row] = x;
            norm2 += (double) x * x;
        }
        cols[factors][row] = src[off + factors];
        inv[row] = norm2 > 0 ? (float) (1.0 / Math.sqrt(norm2)) : 0f;
        if (row >= v.size() || cols != v.cols()) {
            view = new View(Math.max(v.size(), row + 1), factors, cols, inv);
        }
    }
}
