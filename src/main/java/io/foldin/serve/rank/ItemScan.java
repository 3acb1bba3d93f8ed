package io.foldin.serve.rank;

/**
 * The top-k kernel: scores every item row against one query vector u and offers the eligible rows
 * to a {@link TopK}. Score of row r:
 * <ul>
 *   <li>ranking: {@code s_r = u·V_r + w b_r} (w = 1 ranks by predicted rating, since μ and the
 *       user's bias are the same for every item; w = 0 ranks by affinity alone);</li>
 *   <li>cosine: {@code s_r = u·V_r / ‖V_r‖} (the caller divides by ‖u‖, a constant).</li>
 * </ul>
 * Rows are processed in tiles of {@value #TILE}: the tile's scores stay in L1 while each column
 * adds {@code u_a · V[a][tile]}, a loop over contiguous floats that C2 vectorises. The score buffer
 * is indexed like the columns ({@code s[r] += u_a c[r]}): with the same index on both arrays C2
 * needs no aliasing proof, while a tile-local {@code t[j] += u_a c[base + j]} is left scalar
 * (measured in TopKBench). Then one pass over the tile offers rows above the current threshold,
 * so the heap is rarely touched.
 *
 * <p>Holds a scratch score buffer: one instance per thread.
 */
public final class ItemScan {
    static final int TILE = 512;
    private float[] s = new float[TILE];

    /**
     * @param rows     rows to scan, at most {@code v.size()} and {@code counts.length}
     * @param u        the query vector, D floats
     * @param counts   ratings per row; rows with fewer than {@code minCount} are skipped
     * @param skipRow  a row never offered (the query item itself for similarity), or -1
     */
    public void scan(ItemColumns.View v, int rows, float[] u, float biasWeight, boolean cosine,
                     int[] counts, int minCount, int skipRow, TopK top) {
        int d = v.factors();
        float[][] cols = v.cols();
        float[] bias = cols[d];
        float[] inv = v.invNorm();
        if (s.length < rows) {
            s = new float[rows + rows / 4];
        }
        float[] t = s;
        for (int base = 0; base < rows; base += TILE) {
            int end = Math.min(base + TILE, rows);
            if (cosine) {
                for (int r = base; r < end; r++) {
                    t[r] = 0f;
                }
            } else {
                for (int r = base; r < end; r++) {
                    t[r] = biasWeight * bias[r];
                }
            }
            for (int a = 0; a < d; a++) {
                float ua = u[a];
                float[] c = cols[a];
                for (int r = base; r < end; r++) {
                    t[r] += ua * c[r];
                }
            }
            if (cosine) {
                for (int r = base; r < end; r++) {
                    t[r] *= inv[r];
                }
            }
            float threshold = top.threshold();
            for (int r = base; r < end; r++) {
                float x = t[r];
                if (x >= threshold && counts[r] >= minCount && r != skipRow) {
                    top.offer(x, r);
                    threshold = top.threshold();
                }
            }
        }
    }
}
