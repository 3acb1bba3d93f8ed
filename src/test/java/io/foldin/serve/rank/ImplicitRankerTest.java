package io.foldin.serve.rank;

import io.foldin.model.ImplicitParams;
import io.foldin.stream.live.ImplicitTable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ImplicitRanker} on a live table against naive references: a full sort, and the dense closed form. */
class ImplicitRankerTest {
    static final ImplicitParams P = new ImplicitParams(4, 3.0, 0.8);

    /** Items 1000, 1003, 1006, ... with N(0, 1) vectors, fixed seed; the same vectors in {@code rows}. */
    static ImplicitTable table(int n, long seed, Map<Integer, float[]> rows) {
        Random rnd = new Random(seed);
        ImplicitTable t = new ImplicitTable(P.factors());
        for (int k = 0; k < n; k++) {
            float[] v = new float[P.factors()];
            for (int a = 0; a < v.length; a++) {
                v[a] = (float) rnd.nextGaussian();
            }
            t.put(1000 + 3 * k, v);
            rows.put(1000 + 3 * k, v);
        }
        return t;
    }

    @Test
    void topKEqualsAFullSortOfTheScoresWithoutTheExcludedItems() {
        Map<Integer, float[]> rows = new HashMap<>();
        ImplicitTable t = table(300, 11, rows);
        Random rnd = new Random(5);
        float[] x = {(float) rnd.nextGaussian(), (float) rnd.nextGaussian(), (float) rnd.nextGaussian(), 0.5f};
        Set<Integer> excluded = Set.of(1000, 1003, 1300, 1501);
        List<Map.Entry<Integer, Double>> naive = new ArrayList<>();
        for (Map.Entry<Integer, float[]> e : rows.entrySet()) {
            if (!excluded.contains(e.getKey())) {
                double s = 0;
                for (int a = 0; a < x.length; a++) {
                    s += (double) x[a] * e.getValue()[a];
                }
                naive.add(Map.entry(e.getKey(), s));
            }
        }
        naive.sort(Map.Entry.<Integer, Double>comparingByValue(Comparator.reverseOrder()));
        List<ImplicitRanker.Scored> top = new ImplicitRanker(P).top(t, x, 15, excluded::contains);
        assertEquals(15, top.size());
        for (int r = 0; r < 15; r++) {
            assertEquals(naive.get(r).getKey(), top.get(r).itemId(), "rank " + r);
            assertEquals(naive.get(r).getValue(), top.get(r).score(), 1e-5, "rank " + r);
        }
        assertEquals(296, new ImplicitRanker(P).top(t, x, 1000, excluded::contains).size(), "k above the items");
    }

    /**
     * Hu et al. eq. 4 over every item of the table, densely: {@code x = (Yᵀ C Y + λI)⁻¹ Yᵀ C p} with
     * {@code c_i = 1 + α w_i}, {@code p_i = [w_i > 0]}.
     */
    static double[] dense(Map<Integer, float[]> rows, Map<Integer, Float> w) {
        int d = P.factors();
        DMatrixRMaj a = new DMatrixRMaj(d, d);
        DMatrixRMaj b = new DMatrixRMaj(d, 1);
        for (Map.Entry<Integer, float[]> e : rows.entrySet()) {
            float wi = w.getOrDefault(e.getKey(), 0f);
            double c = 1 + P.alpha() * wi;
            float[] y = e.getValue();
            for (int r = 0; r < d; r++) {
                for (int s = 0; s < d; s++) {
                    a.add(r, s, c * y[r] * y[s]);
                }
                if (wi > 0) {
                    b.add(r, 0, c * y[r]);
                }
            }
        }
        for (int r = 0; r < d; r++) {
            a.add(r, r, P.lambda());
        }
        DMatrixRMaj x = new DMatrixRMaj(d, 1);
        assertTrue(CommonOps_DDRM.solve(a, b, x));
        return x.getData();
    }

    @Test
    void aTransientUserIsTheDenseClosedFormOverTheLiveTable() {
        Map<Integer, float[]> rows = new HashMap<>();
        ImplicitTable t = table(120, 17, rows);
        // an item replaced after the first puts: the solve must use the table's current row and Gram
        float[] moved = {0.3f, -1.2f, 0.7f, 2.0f};
        t.put(1030, moved);
        rows.put(1030, moved);
        int[] ids = {1030, 1060, 7, 1030, 1099};
        float[] weights = {1f, 2.5f, 1f, 0.5f, 4f};
        ImplicitRanker.Transient tr = new ImplicitRanker(P).solveTransient(t, ids, weights);
        assertEquals(List.of(7), tr.ignored(), "an id without a vector is ignored");
        // repeated 1030: weights add, c = 1 + α (1 + 0.5)
        double[] expected = dense(rows, Map.of(1030, 1.5f, 1060, 2.5f, 1099, 4f));
        float[] x = tr.vector();
        for (int a = 0; a < P.factors(); a++) {
            assertEquals(expected[a], x[a], 1e-4 * (1 + Math.abs(expected[a])), "entry " + a);
        }
        // its top-k leaves out the listed items when asked to
        Set<Integer> listed = Set.of(1030, 1060, 1099);
        for (ImplicitRanker.Scored s : new ImplicitRanker(P).top(t, x, 10, listed::contains)) {
            assertTrue(!listed.contains(s.itemId()), "listed item " + s.itemId() + " recommended");
        }
    }

    @Test
    void noKnownItemsNoVectorAndBadWeightsRefused() {
        ImplicitTable t = table(10, 3, new HashMap<>());
        ImplicitRanker.Transient tr = new ImplicitRanker(P).solveTransient(t, new int[] {1, 2}, new float[] {1f, 1f});
        assertNull(tr.vector());
        assertEquals(List.of(1, 2), tr.ignored());
        assertThrows(IllegalArgumentException.class,
                () -> new ImplicitRanker(P).solveTransient(t, new int[] {1000}, new float[] {0f}));
        assertThrows(IllegalArgumentException.class,
                () -> new ImplicitRanker(P).solveTransient(t, new int[] {1000}, new float[] {Float.NaN}));
        assertThrows(IllegalArgumentException.class,
                () -> new ImplicitRanker(new ImplicitParams(5, 1, 1)).top(t, new float[5], 3, id -> false));
    }
}
