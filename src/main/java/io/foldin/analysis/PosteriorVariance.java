package io.foldin.analysis;

import io.foldin.data.RatingMatrix;
import io.foldin.model.AlsParams;
import io.foldin.model.AugmentedSolver;
import io.foldin.model.Factors;
import io.foldin.model.PackedGram;
import io.foldin.model.Posterior;
import io.foldin.model.RowGram;

/**
 * Posterior uncertainty per entity for the variance histograms (seed 003 §17.5, Fig. 12): the mean variance
 * of the D factor coordinates, {@code tr(S_VV) / D}.
 *
 * <p>A MAP model has no posterior of its own; {@link #conditional} gives each entity's Gaussian posterior with
 * the other side fixed at its factors, {@code S = A⁻¹}, {@code A = λ G + diag(τ, …, τ, γ)}, {@code G = Σ y yᵀ}
 * over the entity's ratings with {@code y = [V; 1]} of the other side: exactly the system its ALS solve
 * factors. An entity without ratings gets the prior's {@code 1/τ}. A variational model's covariances are
 * read as they are ({@link #of(Posterior)}).
 */
public final class PosteriorVariance {
    private PosteriorVariance() {
    }

    /** {@code tr(S_VV)/D} of every row of {@code rows} (CSR over the other side's indices). */
    public static double[] conditional(RatingMatrix.Csr rows, Factors other, AlsParams params, double mu) {
        int n = params.dim();
        int d = params.factors();
        AugmentedSolver solver = new AugmentedSolver(params);
        RowGram gram = RowGram.create(n);
        double[] g = new double[PackedGram.size(n)];
        double[] h = new double[n];
        float[] scratch = new float[n];
        double[] variance = new double[n];
        double[] out = new double[rows.rows()];
        int[] start = rows.start();
        for (int r = 0; r < rows.rows(); r++) {
            gram.form(rows.cols(), rows.values(), start[r], start[r + 1], other.data(), other.stride(), mu, g, h);
            if (!solver.solveWithVariance(g, h, null, 0, scratch, 0, variance)) {
                out[r] = Double.NaN;
                continue;
            }
            double s = 0;
            for (int a = 0; a < d; a++) {
                s += variance[a];
            }
            out[r] = d == 0 ? 0 : s / d;
        }
        return out;
    }

    /** {@code tr(S_e,VV)/D} of every entity of a variational posterior. */
    public static double[] of(Posterior post) {
        double[] out = new double[post.count()];
        for (int e = 0; e < out.length; e++) {
            out[e] = post.meanFactorVariance(e);
        }
        return out;
    }
}
