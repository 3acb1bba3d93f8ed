package io.foldin.stream.live;

import io.foldin.metrics.Metrics;
import io.foldin.model.PackedGram;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ImplicitTable}: rows by id and the Gram kept by rank-two updates, against a naive Σ v vᵀ. */
class ImplicitTableTest {
    static final int D = 5;

    /** The naive reference: G[a][b] = Σ_rows v_a v_b, in PackedGram's layout. */
    static double[] naiveGram(Map<Integer, float[]> rows, int d) {
        double[] g = new double[PackedGram.size(d)];
        for (float[] v : rows.values()) {
            for (int a = 0; a < d; a++) {
                for (int b = a; b < d; b++) {
                    g[PackedGram.index(d, a, b)] += (double) v[a] * v[b];
                }
            }
        }
        return g;
    }

    static float[] random(Random rnd, int d) {
        float[] v = new float[d];
        for (int a = 0; a < d; a++) {
            v[a] = (float) rnd.nextGaussian();
        }
        return v;
    }

    @Test
    void gramEqualsTheNaiveSumAfterRandomPutsAndReplaces() {
        Random rnd = new Random(42);
        ImplicitTable t = new ImplicitTable(D);
        Map<Integer, float[]> reference = new HashMap<>();
        for (int step = 0; step < 5_000; step++) {
            // ids from a small range, so most later puts replace a row; grows past the first capacity (256)
            int id = rnd.nextInt(step < 1_000 ? 1_000_000 : 400) - 200;
            float[] v = random(rnd, D);
            t.put(id, v);
            reference.put(id, v.clone());
            v[0] = 99f; // the table keeps a copy: the checks below would see 99
            if (step % 97 == 0) {
                assertArrayEquals(naiveGram(reference, D), t.gram(), 1e-9, "after step " + step);
            }
        }
        assertArrayEquals(naiveGram(reference, D), t.gram(), 1e-9);
        assertEquals(reference.size(), t.size());
        float[] out = new float[D];
        for (Map.Entry<Integer, float[]> e : reference.entrySet()) {
            assertTrue(t.get(e.getKey(), out));
            assertArrayEquals(e.getValue(), out, 0f, "row " + e.getKey());
        }
        Map<Integer, float[]> visited = new HashMap<>();
        t.forEach((id, data, off) -> assertNull(visited.put(id, java.util.Arrays.copyOfRange(data, off, off + D))));
        assertEquals(reference.keySet(), visited.keySet());
        for (Map.Entry<Integer, float[]> e : reference.entrySet()) {
            assertArrayEquals(e.getValue(), visited.get(e.getKey()), 0f);
        }
    }

    @Test
    void oneRowReplacedManyTimesKeepsTheGramExact() {
        // the worst case for drift: each put subtracts the last row and adds a new one
        Random rnd = new Random(7);
        ImplicitTable t = new ImplicitTable(D);
        t.put(1, random(rnd, D));
        float[] v = null;
        for (int k = 0; k < 10_000; k++) {
            v = new float[D];
            for (int a = 0; a < D; a++) {
                v[a] = (float) (1e3 * rnd.nextGaussian());
            }
            t.put(1, v);
        }
        assertArrayEquals(naiveGram(Map.of(1, v), D), t.gram(), 0.0, "recomputed after every put of a one-row table");
    }

    @Test
    void unknownIdsAndWrongLengths() {
        ImplicitTable t = new ImplicitTable(D);
        float[] out = {1, 2, 3, 4, 5};
        assertFalse(t.get(3, out));
        assertArrayEquals(new float[] {1, 2, 3, 4, 5}, out, 0f, "untouched");
        assertFalse(t.contains(3));
        assertEquals(0, t.size());
        assertArrayEquals(new double[PackedGram.size(D)], t.gram(), 0.0);
        assertThrows(IllegalArgumentException.class, () -> t.put(3, new float[D + 1]));
        assertThrows(IllegalArgumentException.class, () -> new ImplicitTable(0));
    }

    @Test
    void concurrentReadersSeeTheGramOfOneSetOfRows() throws Exception {
        // fixed rows 0..49, and row 100 switching between a and b: every Gram a reader copies must be
        // fixed + a aᵀ or fixed + b bᵀ, never a half-applied update (a reader racing the writer would see
        // fixed alone, or fixed + a aᵀ + b bᵀ)
        Random rnd = new Random(3);
        ImplicitTable t = new ImplicitTable(D);
        Map<Integer, float[]> fixed = new HashMap<>();
        for (int id = 0; id < 50; id++) {
            float[] v = random(rnd, D);
            fixed.put(id, v);
            t.put(id, v);
        }
        float[] a = random(rnd, D);
        float[] b = random(rnd, D);
        Map<Integer, float[]> withA = new HashMap<>(fixed);
        withA.put(100, a);
        Map<Integer, float[]> withB = new HashMap<>(fixed);
        withB.put(100, b);
        double[] ga = naiveGram(withA, D);
        double[] gb = naiveGram(withB, D);
        t.put(100, a);

        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<String> failure = new AtomicReference<>();
        List<Thread> readers = new ArrayList<>();
        int[] reads = new int[3];
        for (int r = 0; r < 3; r++) {
            int me = r;
            Thread th = new Thread(() -> {
                double[] g = new double[PackedGram.size(D)];
                float[] row = new float[D];
                while (!stop.get() && failure.get() == null) {
                    t.gram(g);
                    if (!close(g, ga) && !close(g, gb)) {
                        failure.set("a Gram of neither state: " + java.util.Arrays.toString(g));
                    }
                    assertTrue(t.get(100, row));
                    reads[me]++;
                }
            });
            th.start();
            readers.add(th);
        }
        for (int k = 0; k < 200_000 && failure.get() == null; k++) {
            t.put(100, (k & 1) == 0 ? b : a);
        }
        stop.set(true);
        for (Thread th : readers) {
            th.join();
        }
        assertNull(failure.get());
        assertTrue(reads[0] + reads[1] + reads[2] > 100, "the readers ran: " + java.util.Arrays.toString(reads));
    }

    private static boolean close(double[] x, double[] y) {
        for (int k = 0; k < x.length; k++) {
            if (Math.abs(x[k] - y[k]) > 1e-9 * (1 + Math.abs(y[k]))) {
                return false;
            }
        }
        return true;
    }

    @Test
    void liveModelHasBothSidesAtTheImplicitSize() {
        LiveModel m = new LiveModel(3, 7, ModelEpoch.initial(3.5, 3), new Metrics());
        assertEquals(7, m.implicitUsers().factors());
        assertEquals(7, m.implicitItems().factors());
        assertEquals(32, new LiveModel(3, ModelEpoch.initial(3.5, 3), new Metrics()).implicitItems().factors(),
                "the offline default when not configured");
    }
}
