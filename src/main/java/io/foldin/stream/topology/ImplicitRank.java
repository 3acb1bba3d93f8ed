package io.foldin.stream.topology;

import io.foldin.stream.live.ImplicitTable;

import java.util.Arrays;

/**
 * The rank of an item for a user vector among the items the user has not interacted with, as the offline
 * prequential defines it ({@link io.foldin.eval.ImplicitPrequential#hit}):
 * <pre>
 *   rank(i) = 1 + |{ j ∈ Y, j ≠ i, j ∉ N(u) : x_uᵀ y_j ≥ x_uᵀ y_i }|
 * </pre>
 * over the rows j of the live item table; ties count against i, so a user with no vector (x = 0) ranks i last. An
 * item without a row scores 0. Hit rate@k is the share of ranks ≤ k. O(|Y| D) per call.
 */
final class ImplicitRank {
    private ImplicitRank() {
    }

    /**
     * @param seen the items u interacted with, ascending
     * @param row  D floats of scratch
     */
    static int rank(ImplicitTable items, float[] x, int item, int[] seen, float[] row) {
        int d = items.factors();
        double target = items.get(item, row) ? dot(x, row, 0, d) : 0.0;
        int[] above = {0};
        items.forEach((id, data, off) -> {
            if (id != item && Arrays.binarySearch(seen, id) < 0 && dot(x, data, off, d) >= target) {
                above[0]++;
            }
        });
        return 1 + above[0];
    }

    private static double dot(float[] x, float[] y, int off, int d) {
        double s = 0;
        for (int a = 0; a < d; a++) {
            s += (double) x[a] * y[off + a];
        }
        return s;
    }
}
