package io.foldin.serve.rank;

/**
 * The top-k kernel: scores every item row against query vectors and offers the eligible rows to
 * each query's {@link TopK}. Score of row r, in float, accumulated in column order with one rounding
 * per step ({@code fma}), so every kernel and the reference in the tests agree bit for bit:
 * <ul>
 *   <li>ranking: {@code s = w·b_r}, then {@code s = fma(u_a, V_r[a], s)} for a = 0 … D−1 (w = 1 ranks
 *       by predicted rating, since μ and the user's bias are the same for every item; w = 0 by
 *       affinity alone);</li>
 *   <li>cosine: {@code s = 0}, the same steps, then {@code s · (1/‖V_r‖)} (the caller divides by
 *       ‖u‖, a constant).</li>
 * </ul>
 * A batch of queries is scored in one pass over the rows: each block of columns is read from memory
 * once and scored for every query while it is in L1. At 84,432 × 21 floats (7 MB) a single query is
 * bound by the bandwidth from L3, so a batch of B costs little more than one query until the
 * multiply-adds, D per row and query, become the limit (TopKBench).
 *
 * <p>Rows are visited in chunks, in the order of {@link #chunkAt}: first every eighth chunk across the
 * table, then the ones in between. The selection does not depend on the order, but its threshold does:
 * in row order, scores that trend upwards along the rows (on the twin, rows follow item ids, which
 * follow release years) beat the threshold again and again, and offering them was half a scan's time.
 *
 * <p>An instance holds scratch buffers: one per thread.
 */
public interface ItemScan {
    /** System property that forces the kernel: {@code scalar} or {@code vector}. */
    String KERNEL_PROPERTY = "foldin.scan";

    /**
     * Scores rows {@code [0, rows)} for {@code queries[0 .. n)} and offers each query's eligible rows to
     * its selection.
     *
     * @param rows   at most {@code v.size()} and {@code counts.length}
     * @param counts ratings per row, compared with each query's minimum
     */
    void scanBatch(ItemColumns.View v, int rows, int[] counts, ScanQuery[] queries, int n);

    /** One query; see {@link ScanQuery} for the parameters. */
    default void scan(ItemColumns.View v, int rows, float[] u, float biasWeight, boolean cosine, int[] counts,
                      int minCount, int skipRow, TopK top) {
        scanBatch(v, rows, counts, new ScanQuery[] {new ScanQuery(u, biasWeight, cosine, minCount, skipRow, top)}, 1);
    }

    /** Kernel name, for reports: {@code vector} or {@code scalar}. */
    String name();

    /**
     * The SIMD kernel when {@code jdk.incubator.vector} is in the boot layer (the JVM was started with
     * {@code --add-modules jdk.incubator.vector}) and the property does not ask for scalar, else the
     * scalar one. The vector class is loaded by name, so without the module it is never linked.
     */
    static ItemScan create() {
        String forced = System.getProperty(KERNEL_PROPERTY, "");
        if (!forced.equals("scalar") && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                return (ItemScan) Class.forName("io.foldin.serve.rank.VectorItemScan")
                        .getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                if (forced.equals("vector")) {
                    throw new IllegalStateException("vector scan kernel unavailable: " + e, e);
                }
            }
        } else if (forced.equals("vector")) {
            throw new IllegalStateException("-D" + KERNEL_PROPERTY + "=vector needs the JVM option "
                    + "--add-modules jdk.incubator.vector");
        }
        return new ScalarItemScan();
    }

    /**
     * The chunk visited {@code i}-th of {@code chunks}: chunks 0, 8, 16, …, then 1, 9, 17, …, and so on
     * to 7, 15, …; a permutation of {@code [0, chunks)}.
     */
    static int chunkAt(int i, int chunks) {
        int stride = 8;
        int full = chunks / stride;
        int extra = chunks % stride;
        // Residue class j has full + 1 chunks for j < extra, else full.
        int j = 0;
        int before = 0;
        while (true) {
            int size = full + (j < extra ? 1 : 0);
            if (i < before + size) {
                return j + stride * (i - before);
            }
            before += size;
            j++;
        }
    }

    /** The score of one row as defined above; the kernels' tails and the tests use it. */
    static float score(ItemColumns.View v, int row, float[] u, float biasWeight, boolean cosine) {
        int d = v.factors();
        float[][] cols = v.cols();
        float s = cosine ? 0f : biasWeight * cols[d][row];
        for (int a = 0; a < d; a++) {
            s = Math.fma(u[a], cols[a][row], s);
        }
        return cosine ? s * v.invNorm()[row] : s;
    }
}
