package io.foldin.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.foldin.data.RatingLog;
import io.foldin.data.RatingMatrix;
import io.foldin.model.ImplicitScorer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The metrics against hand-computed values and against a naive pair-by-pair, sort-everything reference. */
class RankingMetricsTest {

    /** 6 items, scores 0.9 0.8 0.7 0.6 0.5 0.4; trained item 0; held out 2 and 5. */
    @Test
    void oneUserByHand() {
        double[] s = {0.9, 0.8, 0.7, 0.6, 0.5, 0.4};
        double[] v = RankingMetrics.user(s, 6, new int[] {0}, new int[] {2, 5});
        // negatives 1, 3, 4: item 2 beats 3 and 4 (2 of 3), item 5 beats none: AUC = 2/6
        assertEquals(2.0 / 6, v[0], 1e-12);
        // top 5 of candidates 1..5 = 1,2,3,4,5: hits 2 at ranks 2 and 5
        assertEquals(2.0 / 5, v[1], 1e-12);
        assertEquals(1.0, v[2], 1e-12);
        double dcg = 1 / log2(3) + 1 / log2(6);
        double ideal = 1 + 1 / log2(3);
        assertEquals(dcg / ideal, v[3], 1e-12);
        // k = 10 and 20: the same hits, precision over k
        assertEquals(2.0 / 10, v[4], 1e-12);
        assertEquals(2.0 / 20, v[7], 1e-12);
    }

    @Test
    void tiesCountHalfAndRankTheLowerIndexFirst() {
        double[] s = {1, 1, 1, 1};
        double[] v = RankingMetrics.user(s, 4, new int[0], new int[] {3});
        assertEquals(0.5, v[0], 1e-12);
        assertArrayEquals(new int[] {0, 1, 2, 3}, RankingMetrics.top(s, 4, new boolean[4], 20));
        assertArrayEquals(new int[] {2, 0}, RankingMetrics.top(new double[] {1, 0, 3, 1}, 4, new boolean[4], 2));
    }

    /** Random scores (with ties), training and test sets: every metric equals the naive reference. */
    @Test
    void matchesNaiveReferenceOnRandomCases() {
        SplittableRandom rnd = new SplittableRandom(7);
        int users = 40;
        int items = 60;
        double[][] scores = new double[users][items];
        RatingLog train = new RatingLog(users * 10);
        RatingLog test = new RatingLog(train.users(), train.items(), users * 5);
        for (int i = 0; i < items; i++) {
            train.items().add(i);
        }
        for (int u = 0; u < users; u++) {
            train.users().add(u);
            for (int i = 0; i < items; i++) {
                scores[u][i] = rnd.nextInt(25) / 5.0; // coarse: many ties
                double x = rnd.nextDouble();
                if (x < 0.15) {
                    train.addIndexed(u, i, 1, 0);
                } else if (x < 0.15 + (u % 5 == 0 ? 0 : 0.1)) {
                    test.addIndexed(u, i, 1, 0);
                }
            }
        }
        ImplicitScorer model = new ImplicitScorer() {
            @Override
            public int items() {
                return items;
            }

            @Override
            public void scores(int user, double[] out) {
                System.arraycopy(scores[user], 0, out, 0, items);
            }
        };
        RankingMetrics.Result r = RankingMetrics.evaluate(model, RatingMatrix.of(train).byUser(),
                RatingMatrix.of(test).byUser());
        double[] ref = naive(scores, train, test, users, items);
        assertEquals((int) ref[0], r.users());
        assertEquals(ref[1], r.auc(), 1e-12);
        for (int c = 0; c < RankingMetrics.CUTOFFS.length; c++) {
            assertEquals(ref[2 + 3 * c], r.precision()[c], 1e-12);
            assertEquals(ref[3 + 3 * c], r.recall()[c], 1e-12);
            assertEquals(ref[4 + 3 * c], r.ndcg()[c], 1e-12);
        }
        assertEquals(r.precisionAt(10), r.asMap().get("precision_at_10"));
    }

    /** {users, auc, P@5, R@5, N@5, P@10, ...}: all pairs compared, all candidates sorted. */
    private static double[] naive(double[][] scores, RatingLog train, RatingLog test, int users, int items) {
        double[] out = new double[2 + 3 * RankingMetrics.CUTOFFS.length];
        int counted = 0;
        int aucUsers = 0;
        for (int u = 0; u < users; u++) {
            Set<Integer> trained = new HashSet<>();
            Set<Integer> pos = new HashSet<>();
            for (int k = 0; k < train.size(); k++) {
                if (train.user(k) == u) {
                    trained.add(train.item(k));
                }
            }
            for (int k = 0; k < test.size(); k++) {
                if (test.user(k) == u && !trained.contains(test.item(k))) {
                    pos.add(test.item(k));
                }
            }
            if (pos.isEmpty()) {
                continue;
            }
            counted++;
            double[] s = scores[u];
            double wins = 0;
            int pairs = 0;
            for (int p : pos) {
                for (int j = 0; j < items; j++) {
                    if (!trained.contains(j) && !pos.contains(j)) {
                        pairs++;
                        wins += s[p] > s[j] ? 1 : s[p] == s[j] ? 0.5 : 0;
                    }
                }
            }
            if (pairs > 0) {
                aucUsers++;
                out[1] += wins / pairs;
            }
            List<Integer> ranked = new ArrayList<>();
            for (int j = 0; j < items; j++) {
                if (!trained.contains(j)) {
                    ranked.add(j);
                }
            }
            ranked.sort(Comparator.<Integer>comparingDouble(j -> -s[j]).thenComparingInt(j -> j));
            for (int c = 0; c < RankingMetrics.CUTOFFS.length; c++) {
                int k = RankingMetrics.CUTOFFS[c];
                double hits = 0;
                double dcg = 0;
                double ideal = 0;
                for (int r = 0; r < k && r < ranked.size(); r++) {
                    if (pos.contains(ranked.get(r))) {
                        hits++;
                        dcg += 1 / log2(r + 2);
                    }
                }
                for (int r = 0; r < Math.min(k, pos.size()); r++) {
                    ideal += 1 / log2(r + 2);
                }
                out[2 + 3 * c] += hits / k;
                out[3 + 3 * c] += hits / pos.size();
                out[4 + 3 * c] += dcg / ideal;
            }
        }
        out[0] = counted;
        out[1] /= aucUsers;
        for (int k = 2; k < out.length; k++) {
            out[k] /= counted;
        }
        return out;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
