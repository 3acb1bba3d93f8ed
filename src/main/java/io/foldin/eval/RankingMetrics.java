package io.foldin.eval;

import io.foldin.data.RatingMatrix;
import io.foldin.model.ImplicitScorer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Ranking metrics of an {@link ImplicitScorer} on held-out positives. For a user u let T_u be u's training items,
 * P_u its held-out (test) items not in T_u, C_u = I \ T_u the candidates (every item of the data that u has not
 * interacted with in training) and N_u = C_u \ P_u the negatives. With s_ui the model's scores:
 * <ul>
 *   <li>{@code AUC_u = (1 / (|P_u| |N_u|)) Σ_{p∈P_u} Σ_{j∈N_u} ( [s_up > s_uj] + ½ [s_up = s_uj] )}; {@code auc} is
 *   the mean of AUC_u over the users with |P_u| ≥ 1 and |N_u| ≥ 1.</li>
 *   <li>The top k of u are the k candidates (C_u, training items excluded) with the highest scores, ties broken by the
 *   lower item index; hits_k = |top_k ∩ P_u|. {@code precision_at_k = hits_k / k},
 *   {@code recall_at_k = hits_k / |P_u|}, {@code ndcg_at_k = Σ_{r ≤ k, item at r ∈ P_u} 1/log₂(r+1) /
 *   Σ_{r ≤ min(k, |P_u|)} 1/log₂(r+1)}; each is the mean over the users with |P_u| ≥ 1.</li>
 * </ul>
 * Users are scored in parallel; every per-user value is stored and summed in user order, so the result does not
 * depend on the number of threads.
 */
public final class RankingMetrics {
    /** The cut-offs k reported. */
    public static final int[] CUTOFFS = {5, 10, 20};
    private static final int MAX_K = 20;

    private RankingMetrics() {
    }

    /**
     * @param users     users with at least one held-out positive
     * @param aucUsers  of those, the users with at least one negative too (the AUC's mean runs over them)
     * @param precision per {@link #CUTOFFS} entry, likewise recall and ndcg
     */
    public record Result(int users, int aucUsers, double auc, double[] precision, double[] recall, double[] ndcg) {
        /** {@code auc, precision_at_5, recall_at_5, ndcg_at_5, ..., ndcg_at_20}, the report's keys. */
        public Map<String, Double> asMap() {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("auc", auc);
            for (int c = 0; c < CUTOFFS.length; c++) {
                m.put("precision_at_" + CUTOFFS[c], precision[c]);
                m.put("recall_at_" + CUTOFFS[c], recall[c]);
                m.put("ndcg_at_" + CUTOFFS[c], ndcg[c]);
            }
            return m;
        }

        public double precisionAt(int k) {
            return precision[cutoff(k)];
        }

        public double recallAt(int k) {
            return recall[cutoff(k)];
        }

        public double ndcgAt(int k) {
            return ndcg[cutoff(k)];
        }

        private static int cutoff(int k) {
            for (int c = 0; c < CUTOFFS.length; c++) {
                if (CUTOFFS[c] == k) {
                    return c;
                }
            }
            throw new IllegalArgumentException("k " + k + " is not one of " + Arrays.toString(CUTOFFS));
        }
    }

    /**
     * Scores {@code model} with {@code train}'s user rows as T_u and {@code test}'s as P_u (both over the same
     * user and item indices; the item count is {@code model.items()}).
     */
    public static Result evaluate(ImplicitScorer model, RatingMatrix.Csr train, RatingMatrix.Csr test) {
        int numUsers = test.rows();
        int numItems = model.items();
        // per user: {auc or NaN, hits-based values for each cut-off x 3}; NaN row = user not counted
        double[][] rows = new double[numUsers][];
        ThreadLocal<double[]> buffers = ThreadLocal.withInitial(() -> new double[numItems]);
        IntStream.range(0, numUsers).parallel().forEach(u -> {
            int[] positives = row(test, u);
            if (positives.length == 0) {
                return;
            }
            int[] trained = u < train.rows() ? row(train, u) : new int[0];
            double[] s = buffers.get();
            model.scores(u, s);
            rows[u] = user(s, numItems, trained, positives);
        });
        int users = 0;
        int aucUsers = 0;
        double auc = 0;
        double[] p = new double[CUTOFFS.length];
        double[] r = new double[CUTOFFS.length];
        double[] n = new double[CUTOFFS.length];
        for (double[] row : rows) {
            if (row == null) {
                continue;
            }
            users++;
            if (!Double.isNaN(row[0])) {
                aucUsers++;
                auc += row[0];
            }
            for (int c = 0; c < CUTOFFS.length; c++) {
                p[c] += row[1 + 3 * c];
                r[c] += row[2 + 3 * c];
                n[c] += row[3 + 3 * c];
            }
        }
        for (int c = 0; c < CUTOFFS.length; c++) {
            p[c] /= users;
            r[c] /= users;
            n[c] /= users;
        }
        return new Result(users, aucUsers, aucUsers == 0 ? Double.NaN : auc / aucUsers, p, r, n);
    }

    /**
     * One user's values: {@code {AUC_u (NaN without negatives), P@5, R@5, NDCG@5, P@10, ...}}. {@code trained} and
     * {@code positives} are item indices below {@code numItems}; a positive that is also trained is ignored.
     */
    static double[] user(double[] s, int numItems, int[] trained, int[] positives) {
        boolean[] excluded = new boolean[numItems];
        for (int i : trained) {
            excluded[i] = true;
        }
        boolean[] positive = new boolean[numItems];
        int numPositives = 0;
        for (int i : positives) {
            if (!excluded[i] && !positive[i]) {
                positive[i] = true;
                numPositives++;
            }
        }
        double[] out = new double[1 + 3 * CUTOFFS.length];
        out[0] = auc(s, numItems, excluded, positive, numPositives);
        int[] top = top(s, numItems, excluded, MAX_K);
        double dcg = 0;
        int hits = 0;
        int rank = 0;
        for (int c = 0; c < CUTOFFS.length; c++) {
            int k = CUTOFFS[c];
            for (; rank < Math.min(k, top.length); rank++) {
                if (positive[top[rank]]) {
                    hits++;
                    dcg += 1 / log2(rank + 2);
                }
            }
            double ideal = 0;
            for (int q = 0; q < Math.min(k, numPositives); q++) {
                ideal += 1 / log2(q + 2);
            }
            out[1 + 3 * c] = (double) hits / k;
            out[2 + 3 * c] = numPositives == 0 ? 0 : (double) hits / numPositives;
            out[3 + 3 * c] = ideal == 0 ? 0 : dcg / ideal;
        }
        return out;
    }

    /** AUC_u by ranks: sort the negatives' scores once, then count those below (and equal to) each positive's. */
    private static double auc(double[] s, int numItems, boolean[] excluded, boolean[] positive, int numPositives) {
        double[] neg = new double[numItems];
        int m = 0;
        for (int i = 0; i < numItems; i++) {
            if (!excluded[i] && !positive[i]) {
                neg[m++] = s[i];
            }
        }
        if (m == 0 || numPositives == 0) {
            return Double.NaN;
        }
        Arrays.sort(neg, 0, m);
        double sum = 0;
        for (int i = 0; i < numItems; i++) {
            if (positive[i]) {
                int below = lowerBound(neg, m, s[i]);
                int notAbove = upperBound(neg, m, s[i]);
                sum += below + 0.5 * (notAbove - below);
            }
        }
        return sum / ((double) numPositives * m);
    }

    /**
     * The (at most) k highest-scoring items not excluded, best first; equal scores rank the lower index first.
     * A k-slot insertion list: k is 20, so this beats a heap and a sort of all items.
     */
    static int[] top(double[] s, int numItems, boolean[] excluded, int k) {
        int[] best = new int[k];
        int size = 0;
        for (int i = 0; i < numItems; i++) {
            if (excluded[i] || (size == k && !(s[i] > s[best[k - 1]]))) {
                continue;
            }
            int pos = size == k ? k - 1 : size++;
            // an earlier (lower) index with an equal score stays ahead: shift only past strictly lower scores
            while (pos > 0 && s[best[pos - 1]] < s[i]) {
                best[pos] = best[pos - 1];
                pos--;
            }
            best[pos] = i;
        }
        return Arrays.copyOf(best, size);
    }

    private static int[] row(RatingMatrix.Csr m, int r) {
        return Arrays.copyOfRange(m.cols(), m.start()[r], m.start()[r + 1]);
    }

    private static int lowerBound(double[] a, int n, double x) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int upperBound(double[] a, int n, double x) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
