package io.foldin.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.foldin.model.AlsParams;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EmbeddingMapTest {
    /**
     * Items on a plane of R⁴ spanned by orthonormal e1, e2, around an offset c: V_i = c + a_i e1 + b_i e2 with
     * a (spread 3) and b (spread 0.5) of mean 0 and covariance 0. The principal axes are ±e1, ±e2, so the map's coordinates are
     * ±a_i and ±b_i, with x shifted by 0.1·bias (eq. 26), and the variances are those of a and b.
     */
    @Test
    void recoversThePlaneOfTheVectorsAndShiftsXByTheBias() {
        double[] e1 = {0.5, 0.5, 0.5, 0.5};
        double[] e2 = {0.5, -0.5, 0.5, -0.5};
        double[] c = {1, 2, -1, 0.5};
        int n = 200;
        SplittableRandom rnd = new SplittableRandom(5);
        double[] a = new double[n];
        double[] b = new double[n];
        for (int i = 0; i < n; i += 4) {
            double x = 3 * rnd.nextGaussian();
            double y = 0.5 * rnd.nextGaussian();
            // (±x, ±y) in all four sign patterns: a and b have mean 0 and covariance 0 exactly
            a[i] = x;
            b[i] = y;
            a[i + 1] = -x;
            b[i + 1] = -y;
            a[i + 2] = x;
            b[i + 2] = -y;
            a[i + 3] = -x;
            b[i + 3] = y;
        }
        float[] rows = new float[(n + 1) * 5];
        rows[n * 5] = 50; // item n: far off the plane, and left out below the rating threshold
        double va = 0;
        double vb = 0;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 4; k++) {
                rows[i * 5 + k] = (float) (c[k] + a[i] * e1[k] + b[i] * e2[k]);
            }
            rows[i * 5 + 4] = (float) (0.01 * i);
            va += a[i] * a[i] / n;
            vb += b[i] * b[i] / n;
        }
        int[] counts = new int[n + 1];
        java.util.Arrays.fill(counts, 100);
        counts[n] = 5;
        ItemModel m = new ItemModel(4, new int[n + 1], new String[n + 1], new String[n + 1][0], rows, counts, 3.5,
                new AlsParams(4, 1, 1, 1), Map.of());
        EmbeddingMap.Result r = EmbeddingMap.of(m, 10);
        assertEquals(n, r.points().size());
        assertEquals(va, r.variance()[0], 1e-4 * va);
        assertEquals(vb, r.variance()[1], 1e-3);
        double sx = 0;
        double sy = 0;
        for (EmbeddingMap.Point p : r.points()) {
            int i = p.index();
            double x = p.x() - 0.1 * m.bias(i);
            assertEquals(Math.abs(a[i]), Math.abs(x), 1e-4);
            assertEquals(Math.abs(b[i]), Math.abs(p.y()), 1e-4);
            sx += Math.signum(x) * Math.signum(a[i]);
            sy += Math.signum(p.y()) * Math.signum(b[i]);
        }
        // one sign per axis for every item
        assertEquals(n, Math.abs(sx), 1e-9);
        assertEquals(n, Math.abs(sy), 1e-9);
    }
}
