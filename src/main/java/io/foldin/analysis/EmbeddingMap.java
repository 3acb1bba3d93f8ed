package io.foldin.analysis;

import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * A 2-D map of item embeddings (seed 003 §13, Fig. 8). The seed trains with D = 2 and plots V_i; at any D this
 * projects on the first two principal axes of the item vectors instead: with {@code V̄} the mean vector and
 * {@code C = 1/n Σ (V_i − V̄)(V_i − V̄)ᵀ}, whose eigenvectors e_1, e_2 have the two largest eigenvalues,
 * {@code x_i = e_1·(V_i − V̄)}, {@code y_i = e_2·(V_i − V̄)}. Then eq. 26 shifts popular items right:
 * {@code x_adjusted = x_i + 0.1 b_i}. Each axis is signed so that its largest |coordinate| is positive, which
 * makes the map a function of the vectors alone.
 */
public final class EmbeddingMap {
    /** The bias weight of eq. 26. */
    public static final double BIAS_SHIFT = 0.1;

    private EmbeddingMap() {
    }

    /** One item on the map; {@code genre} is its first genre, or "" without one. */
    public record Point(int index, int id, String title, String genre, double x, double y) {
    }

    /** @param variance the eigenvalues of the two axes (the variance of V along each) */
    public record Result(List<Point> points, double[] variance) {
    }

    /** The items with at least {@code minRatings} ratings (the seed plots those with at least 100). */
    public static Result of(ItemModel model, int minRatings) {
        int d = model.d();
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < model.size(); i++) {
            if (model.counts()[i] >= minRatings) {
                kept.add(i);
            }
        }
        if (kept.isEmpty() || d == 0) {
            return new Result(List.of(), new double[2]);
        }
        float[] rows = model.rows();
        double[] mean = new double[d];
        for (int i : kept) {
            for (int a = 0; a < d; a++) {
                mean[a] += rows[model.offset(i) + a];
            }
        }
        for (int a = 0; a < d; a++) {
            mean[a] /= kept.size();
        }
        DMatrixRMaj c = new DMatrixRMaj(d, d);
        double[] v = new double[d];
        for (int i : kept) {
            for (int a = 0; a < d; a++) {
                v[a] = rows[model.offset(i) + a] - mean[a];
            }
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    c.add(a, b, v[a] * v[b] / kept.size());
                }
            }
        }
        double[][] axes = new double[2][d];
        double[] variance = new double[2];
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig.decompose(c)) {
            throw new IllegalStateException("eigen-decomposition of the item covariance failed");
        }
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < eig.getNumberOfEigenvalues(); k++) {
            order.add(k);
        }
        order.sort((p, q) -> Double.compare(eig.getEigenvalue(q).real, eig.getEigenvalue(p).real));
        for (int axis = 0; axis < Math.min(2, d); axis++) {
            int k = order.get(axis);
            variance[axis] = eig.getEigenvalue(k).real;
            DMatrixRMaj e = eig.getEigenVector(k);
            for (int a = 0; a < d; a++) {
                axes[axis][a] = e.get(a, 0);
            }
        }
        double[][] coords = new double[kept.size()][2];
        for (int axis = 0; axis < 2; axis++) {
            double extreme = 0;
            for (int p = 0; p < kept.size(); p++) {
                double s = 0;
                for (int a = 0; a < d; a++) {
                    s += axes[axis][a] * (rows[model.offset(kept.get(p)) + a] - mean[a]);
                }
                coords[p][axis] = s;
                extreme = Math.abs(s) > Math.abs(extreme) ? s : extreme;
            }
            if (extreme < 0) {
                for (double[] xy : coords) {
                    xy[axis] = -xy[axis];
                }
            }
        }
        List<Point> points = new ArrayList<>(kept.size());
        for (int p = 0; p < kept.size(); p++) {
            int i = kept.get(p);
            String[] g = model.genres()[i];
            points.add(new Point(i, model.ids()[i], model.titles()[i], g.length == 0 ? "" : g[0],
                    coords[p][0] + BIAS_SHIFT * model.bias(i), coords[p][1]));
        }
        return new Result(points, variance);
    }
}
